package io.debmonitor.imagereporter;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** An in-process HTTP server for tests: routes by "METHOD path[?query]", records every request. */
final class FakeHttp implements AutoCloseable {

    record Request(String method, String target, Headers headers, byte[] body) {
        String header(String name) {
            return headers.getFirst(name);
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** An answer; a stalling one sends its body, then nothing more until the server stops. */
    record Reply(int status, Map<String, String> headers, byte[] body, boolean stall) {
        static Reply of(int status, String contentType, byte[] body) {
            Map<String, String> headers = new LinkedHashMap<>();
            if (contentType != null) {
                headers.put("Content-Type", contentType);
            }
            return new Reply(status, headers, body, false);
        }

        static Reply json(int status, String body) {
            return of(status, "application/json", body.getBytes(StandardCharsets.UTF_8));
        }

        static Reply empty(int status) {
            return of(status, null, new byte[0]);
        }

        Reply with(String name, String value) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.put(name, value);
            return new Reply(status, h, body, stall);
        }

        Reply stalling() {
            return new Reply(status, headers, body, true);
        }
    }

    interface Route {
        Reply handle(Request request) throws IOException;
    }

    final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final CountDownLatch stopped = new CountDownLatch(1);

    FakeHttp() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::dispatch);
        server.setExecutor(executor);
        server.start();
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    FakeHttp on(String method, String target, Route route) {
        routes.put(method + " " + target, route);
        return this;
    }

    FakeHttp on(String method, String target, Reply reply) {
        return on(method, target, r -> reply);
    }

    /** The recorded requests whose target starts with this prefix. */
    List<Request> requestsTo(String prefix) {
        List<Request> out = new ArrayList<>();
        synchronized (requests) {
            for (Request r : requests) {
                if (r.target.startsWith(prefix)) {
                    out.add(r);
                }
            }
        }
        return out;
    }

    private void dispatch(HttpExchange exchange) throws IOException {
        try (exchange) {
            URI uri = exchange.getRequestURI();
            String path = uri.getRawPath();
            String target = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
            Request request = new Request(exchange.getRequestMethod(), target, exchange.getRequestHeaders(),
                    exchange.getRequestBody().readAllBytes());
            requests.add(request);
            Route route = routes.get(request.method + " " + target);
            if (route == null) {
                route = routes.get(request.method + " " + path);
            }
            Reply reply = route != null ? route.handle(request)
                    : Reply.json(404, "{\"errors\":[{\"code\":\"NAME_UNKNOWN\",\"message\":\"not here\"}]}");
            reply.headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            boolean noBody = reply.body.length == 0 && !reply.stall;
            exchange.sendResponseHeaders(reply.status, noBody ? -1 : reply.stall ? reply.body.length + 1_000_000 : reply.body.length);
            OutputStream out = exchange.getResponseBody();
            out.write(reply.body);
            out.flush();
            if (reply.stall) {
                stopped.await(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stopped.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
