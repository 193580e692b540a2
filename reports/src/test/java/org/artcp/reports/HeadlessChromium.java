package org.artcp.reports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Just enough of the Chrome DevTools Protocol (https://chromedevtools.github.io/devtools-protocol/)
 * to open a page in headless Chromium, evaluate an expression in it and collect what it logged as
 * an error, over the JDK's WebSocket: no Selenium, no driver binary.
 *
 * <p>Chromium is started with {@code --remote-debugging-port=0}; the browser's WebSocket address
 * is read from the {@code DevTools listening on ws://…} line it prints on stderr. One page target
 * is created and attached in flat mode, so page commands carry its {@code sessionId}. Every wait
 * is bounded; {@link #close()} ends the browser by its PID, then its remaining descendants.
 */
final class HeadlessChromium implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DEVTOOLS_LINE = Pattern.compile("DevTools listening on (ws://\\S+)");
    private static final List<Path> CANDIDATES = List.of(Path.of("/usr/bin/chromium"),
            Path.of("/usr/bin/chromium-browser"), Path.of("/usr/bin/google-chrome"));

    /** What the page showed: the value of the evaluated expression and every error it logged. */
    record PageResult(JsonNode value, List<String> errors, List<String> requestedUrls) {}

    private final Process process;
    private final Path userDataDir;
    private final Deque<String> stderrTail = new ArrayDeque<>();
    private final WebSocket socket;
    private final AtomicInteger nextId = new AtomicInteger(1);
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();

    /** The first Chromium binary installed here, or {@code ARTCP_CHROMIUM} when set. */
    static Optional<Path> find() {
        String override = System.getenv("ARTCP_CHROMIUM");
        if (override != null && !override.isBlank()) {
            Path p = Path.of(override);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        return CANDIDATES.stream().filter(Files::isExecutable).findFirst();
    }

    /** Starts {@code binary} headless and connects to it, waiting at most {@code timeout}. */
    static HeadlessChromium start(Path binary, Duration timeout) throws IOException, InterruptedException {
        Path userDataDir = Files.createTempDirectory("artcp-chromium-");
        List<String> command = List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", "--disable-extensions", "--no-default-browser-check",
                "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1",
                "--user-data-dir=" + userDataDir, "about:blank");
        Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            return new HeadlessChromium(process, userDataDir, timeout);
        } catch (IOException | InterruptedException | RuntimeException e) {
            kill(process);
            deleteTree(userDataDir);
            throw e;
        }
    }

    private HeadlessChromium(Process process, Path userDataDir, Duration timeout)
            throws IOException, InterruptedException {
        this.process = process;
        this.userDataDir = userDataDir;
        CompletableFuture<String> wsUrl = new CompletableFuture<>();
        Thread reader = new Thread(() -> drainStderr(wsUrl), "chromium-stderr");
        reader.setDaemon(true);
        reader.start();
        String url;
        try {
            url = wsUrl.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException("Chromium printed no DevTools address within " + timeout + "; stderr: " + stderrTail());
        } catch (ExecutionException e) {
            throw new IOException("Chromium exited before listening (exit " + exitCode() + "); stderr: "
                    + stderrTail(), e.getCause());
        }
        try {
            socket = HttpClient.newBuilder().connectTimeout(timeout).build().newWebSocketBuilder()
                    .connectTimeout(timeout).buildAsync(URI.create(url), new Listener())
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("cannot connect to Chromium's DevTools at " + url, e);
        }
    }

    /**
     * Opens {@code url} in a new tab, waits for its load event, evaluates {@code expression}
     * (by value, promises awaited) and returns it with every exception, console error and log
     * error the page produced up to then.
     */
    PageResult open(URI url, String expression, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String targetId = call(null, "Target.createTarget", obj().put("url", "about:blank"), deadline)
                .path("targetId").asText();
        String session = call(null, "Target.attachToTarget", obj().put("targetId", targetId).put("flatten", true),
                deadline).path("sessionId").asText();
        call(session, "Runtime.enable", obj(), deadline);
        call(session, "Log.enable", obj(), deadline);
        call(session, "Network.enable", obj(), deadline);
        call(session, "Page.enable", obj(), deadline);
        List<String> errors = new ArrayList<>();
        List<String> requested = new ArrayList<>();
        JsonNode navigated = call(session, "Page.navigate", obj().put("url", url.toString()), deadline);
        if (navigated.hasNonNull("errorText")) {
            errors.add("navigation: " + navigated.get("errorText").asText());
        } else {
            awaitEvent(session, "Page.loadEventFired", deadline, errors, requested);
        }
        JsonNode evaluated = call(session, "Runtime.evaluate", obj().put("expression", expression)
                .put("returnByValue", true).put("awaitPromise", true), deadline);
        if (evaluated.has("exceptionDetails")) {
            errors.add("evaluate: " + evaluated.get("exceptionDetails").toString());
        }
        // Errors that arrive with or just after the evaluation still count.
        collect(session, errors, requested);
        return new PageResult(evaluated.path("result").path("value"), errors, requested);
    }

    private void awaitEvent(String session, String method, long deadline, List<String> errors, List<String> requested)
            throws IOException, InterruptedException {
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IOException("timed out waiting for " + method + "; errors so far: " + errors);
            }
            JsonNode event = events.poll(left, TimeUnit.NANOSECONDS);
            if (event == null) {
                continue;
            }
            record(event, session, errors, requested);
            if (method.equals(event.path("method").asText()) && session.equals(event.path("sessionId").asText())) {
                return;
            }
        }
    }

    private void collect(String session, List<String> errors, List<String> requested) {
        JsonNode event;
        while ((event = events.poll()) != null) {
            record(event, session, errors, requested);
        }
    }

    private static void record(JsonNode event, String session, List<String> errors, List<String> requested) {
        if (!session.equals(event.path("sessionId").asText())) {
            return;
        }
        JsonNode params = event.path("params");
        switch (event.path("method").asText()) {
            case "Runtime.exceptionThrown" -> errors.add("exception: " + params.path("exceptionDetails"));
            case "Runtime.consoleAPICalled" -> {
                if ("error".equals(params.path("type").asText()) || "assert".equals(params.path("type").asText())) {
                    errors.add("console." + params.path("type").asText() + ": " + params.path("args"));
                }
            }
            case "Log.entryAdded" -> {
                if ("error".equals(params.path("entry").path("level").asText())) {
                    errors.add("log: " + params.path("entry").path("text").asText() + " "
                            + params.path("entry").path("url").asText(""));
                }
            }
            case "Network.requestWillBeSent" -> requested.add(params.path("request").path("url").asText());
            case "Network.loadingFailed" -> errors.add("loading failed: " + params.path("errorText").asText());
            default -> { }
        }
    }

    private JsonNode call(String session, String method, ObjectNode params, long deadline)
            throws IOException, InterruptedException {
        int id = nextId.getAndIncrement();
        ObjectNode message = obj().put("id", id).put("method", method);
        message.set("params", params);
        if (session != null) {
            message.put("sessionId", session);
        }
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        try {
            socket.sendText(JSON.writeValueAsString(message), true)
                    .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            JsonNode response = reply.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (response.has("error")) {
                throw new IOException(method + " failed: " + response.get("error"));
            }
            return response.path("result");
        } catch (TimeoutException e) {
            throw new IOException(method + ": no answer from Chromium in time; stderr: " + stderrTail());
        } catch (ExecutionException e) {
            throw new IOException(method + ": " + e.getCause(), e.getCause());
        } finally {
            pending.remove(id);
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    JsonNode message = JSON.readTree(text);
                    if (message.has("id")) {
                        CompletableFuture<JsonNode> reply = pending.get(message.get("id").asInt());
                        if (reply != null) {
                            reply.complete(message);
                        }
                    } else {
                        events.add(message);
                    }
                } catch (IOException e) {
                    events.add(JSON.createObjectNode().put("method", "artcp.badMessage").put("text", text));
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            pending.values().forEach(f -> f.completeExceptionally(error));
        }
    }

    private void drainStderr(CompletableFuture<String> wsUrl) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (stderrTail) {
                    stderrTail.addLast(line);
                    if (stderrTail.size() > 20) {
                        stderrTail.removeFirst();
                    }
                }
                Matcher m = DEVTOOLS_LINE.matcher(line);
                if (m.find()) {
                    wsUrl.complete(m.group(1));
                }
            }
        } catch (IOException e) {
            // The stream closes when Chromium exits.
        }
        wsUrl.completeExceptionally(new IOException("stderr closed"));
    }

    private String stderrTail() {
        synchronized (stderrTail) {
            return String.join(" | ", stderrTail);
        }
    }

    private String exitCode() {
        return process.isAlive() ? "still running" : String.valueOf(process.exitValue());
    }

    private static ObjectNode obj() {
        return JSON.createObjectNode();
    }

    /**
     * Asks the browser to quit (so it reaps its own renderer and zygote processes), then ends it
     * by its PID if it has not exited within a few seconds.
     */
    @Override
    public void close() {
        try {
            call(null, "Browser.close", obj(), System.nanoTime() + TimeUnit.SECONDS.toNanos(3));
        } catch (IOException e) {
            // Already gone, or not answering: it is killed below.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                kill(process);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill(process);
        }
        socket.abort();
        deleteTree(userDataDir);
    }

    /** Ends Chromium by its PID, then whatever of its own children outlived it. */
    private static void kill(Process process) {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        for (ProcessHandle child : children) {
            if (child.isAlive()) {
                child.destroyForcibly();
            }
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A leftover profile in the temp directory is harmless.
        }
    }
}
