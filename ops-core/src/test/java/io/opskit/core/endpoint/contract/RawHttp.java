package io.opskit.core.endpoint.contract;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** HTTP/1.1 read off a raw socket, for tests that need to see what a client library hides (connection reuse). */
public final class RawHttp {

    private RawHttp() {
    }

    /** Reads one HTTP/1.1 response: its headers (lower-case names, ":status" for the code), its body skipped. */
    public static Map<String, String> readResponse(InputStream in) throws IOException {
        Map<String, String> headers = new HashMap<>();
        String line = readLine(in);
        if (line == null) {
            throw new EOFException("the server closed the connection without answering");
        }
        headers.put(":status", line.split(" ")[1]);
        while (!(line = readLine(in)).isEmpty()) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        if (headers.containsKey("content-length")) {
            in.readNBytes(Integer.parseInt(headers.get("content-length")));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            int size;
            while ((size = Integer.parseInt(readLine(in).split(";")[0].trim(), 16)) > 0) {
                in.readNBytes(size);
                readLine(in);
            }
            readLine(in);
        }
        return headers;
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                return line.length() == 0 ? null : line.toString();
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

}
