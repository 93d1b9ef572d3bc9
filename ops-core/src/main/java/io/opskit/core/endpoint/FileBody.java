package io.opskit.core.endpoint;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A file streamed as a response body and deleted (with its temporary directory) once released. */
final class FileBody implements EndpointResponse.StreamedBody {

    private static final Logger LOG = LoggerFactory.getLogger(FileBody.class);

    private final Path file;
    private final Runnable then;

    private FileBody(Path file, Runnable then) {
        this.file = file;
        this.then = then;
    }

    static EndpointResponse response(Path file, String contentType, String fileName, Runnable then) throws IOException {
        long size = Files.size(file);
        return EndpointResponse.streamed(200, contentType, Map.of("Cache-Control", "no-store",
                "Content-Disposition", "attachment; filename=\"" + fileName + "\""), size, new FileBody(file, then));
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        Files.copy(file, out);
    }

    @Override
    public void close() {
        try {
            deleteQuietly(file);
        } finally {
            then.run();
        }
    }

    static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
            Path dir = file.getParent();
            if (dir != null && dir.getFileName().toString().startsWith("opskit-")) {
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", file, e.toString());
        }
    }
}
