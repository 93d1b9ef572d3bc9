package io.opskit.readme;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The {@code ```java} blocks of the project's READMEs, each with where it starts. */
final class Snippets {

    /** One block: its file, its first line (1-based) and its code. */
    record Snippet(Path file, int line, String code) {
        String label(Path root) {
            return root.relativize(file) + ":" + line;
        }
    }

    /** A fence may be indented (inside a list item); its lines lose that indentation. */
    private static final Pattern BLOCK = Pattern.compile("^([ \\t]*)```java\\s*\\R(.*?)^[ \\t]*```", Pattern.MULTILINE | Pattern.DOTALL);

    private Snippets() {
    }

    /** README.md at the root and one level down, in path order. */
    static List<Path> readmes(Path root) {
        List<Path> files = new ArrayList<>();
        files.add(root.resolve("README.md"));
        try (Stream<Path> dirs = Files.list(root)) {
            dirs.filter(Files::isDirectory).map(d -> d.resolve("README.md")).filter(Files::isRegularFile).sorted()
                    .forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    static List<Snippet> of(Path file) {
        try {
            String text = Files.readString(file);
            List<Snippet> out = new ArrayList<>();
            Matcher m = BLOCK.matcher(text);
            while (m.find()) {
                int line = 1 + (int) text.substring(0, m.start(2)).chars().filter(c -> c == '\n').count();
                String indent = m.group(1);
                String code = m.group(2).lines().map(l -> l.startsWith(indent) ? l.substring(indent.length()) : l.strip())
                        .collect(java.util.stream.Collectors.joining("\n", "", "\n"));
                out.add(new Snippet(file, line, code));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
