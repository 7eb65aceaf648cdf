package dev.meridian.core.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A handler of the JDK's HTTP server that answers {@code GET} of one path: 404 for any other path
 * below its context, 405 for any other method, 500 (logged) when the reply cannot be made, and
 * otherwise the {@link Reply} of {@link #reply}. Never cached. Thread-safe if {@code reply} is.
 */
public abstract class GetHandler implements HttpHandler {
  private static final Logger logger = LoggerFactory.getLogger(GetHandler.class);
  private static final String TEXT = "text/plain; charset=utf-8";

  private final String path;

  /** A handler of {@code GET path}. */
  protected GetHandler(String path) {
    this.path = path;
  }

  /**
   * What to answer.
   *
   * @param status the HTTP status
   * @param contentType its Content-Type
   * @param body the body
   */
  public record Reply(int status, String contentType, byte[] body) {
    /** A reply of {@code text} as UTF-8 with {@code contentType}. */
    public static Reply of(int status, String contentType, String text) {
      return new Reply(status, contentType, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A plain-text reply, such as an error that says what to do. */
    public static Reply text(int status, String text) {
      return of(status, TEXT, text + "\n");
    }
  }

  /** The reply to a {@code GET} of the path. */
  protected abstract Reply reply(HttpExchange exchange) throws IOException;

  @Override
  public final void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      // The server's contexts match by prefix, so /path/x would reach here too.
      Reply reply;
      if (!exchange.getRequestURI().getPath().equals(path)) {
        reply = Reply.text(404, "Not found: this port serves " + path + " here");
      } else if (!exchange.getRequestMethod().equals("GET")) {
        exchange.getResponseHeaders().set("Allow", "GET");
        reply = Reply.text(405, "Method not allowed: use GET");
      } else {
        try {
          reply = reply(exchange);
        } catch (IOException | RuntimeException e) {
          logger.atWarn().addKeyValue("path", path).setCause(e).log("answering a GET failed");
          reply = Reply.text(500, "Answering GET " + path + " failed");
        }
      }
      exchange.getResponseHeaders().set("Content-Type", reply.contentType());
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      exchange.sendResponseHeaders(reply.status(), reply.body().length);
      exchange.getResponseBody().write(reply.body());
    }
  }
}
