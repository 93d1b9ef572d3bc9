package io.opskit.spring.boot;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.core.io.FileSystemResource;

/**
 * A temporary file served as a response body once and deleted when its stream is closed (as Boot's
 * heap dump endpoint does); {@link java.io.File#deleteOnExit()} covers a body never read.
 */
final class SpooledResource extends FileSystemResource {

    SpooledResource(Path file) {
        super(file);
        file.toFile().deleteOnExit();
    }

    @Override
    public InputStream getInputStream() throws IOException {
        return new FilterInputStream(super.getInputStream()) {
            @Override
            public void close() throws IOException {
                try {
                    super.close();
                } finally {
                    Files.deleteIfExists(getFile().toPath());
                }
            }
        };
    }

    @Override
    public boolean isFile() {
        return false;    // read through getInputStream(), so the file is deleted after it is sent
    }
}
