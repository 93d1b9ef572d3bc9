package io.opskit.servlet.internal;

import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * What to do with a request body an answer did not read (a POST refused with 401, 405 or a maintenance 503).
 * A container that finds content unread after the answer is committed closes the connection without saying so
 * (Jetty does), and a client that already sent its next request on it gets nothing back ("received no bytes").
 * So, before the answer is committed: drain what has already arrived, never waiting and at most {@value #DRAIN}
 * bytes; if some is still to come, answer with {@code Connection: close}, so the client opens a new connection
 * instead of racing the close. A body that was read to its end changes nothing.
 */
public final class UnreadBody {

    static final int DRAIN = 64 * 1024;

    private UnreadBody() {
    }

    /** Drains {@code request}'s arrived, unread body or marks {@code response} {@code Connection: close}. */
    public static void settle(HttpServletRequest request, HttpServletResponse response) {
        long declared = request.getContentLengthLong();
        if (declared == 0 || declared < 0 && request.getHeader("Transfer-Encoding") == null) {
            return;
        }
        try {
            ServletInputStream in = request.getInputStream();
            byte[] buffer = null;
            int drained = 0;
            while (!in.isFinished() && drained < DRAIN) {
                int available = in.available();
                if (available <= 0) {
                    break;
                }
                if (buffer == null) {
                    buffer = new byte[Math.min(DRAIN, 8192)];
                }
                int n = in.read(buffer, 0, Math.min(available, buffer.length));
                if (n < 0) {
                    return;
                }
                drained += n;
            }
            if (!in.isFinished()) {
                response.setHeader("Connection", "close");
            }
        } catch (IllegalStateException e) {
            // the answer read the body through getReader(): it is the answer's to finish
        } catch (IOException e) {
            response.setHeader("Connection", "close");
        }
    }
}
