package dev.slipway.proof;

import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.LogContext;
import org.jboss.logmanager.handlers.ConsoleHandler;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Logger;

/**
 * What the app's console would print, for the log records written while it is open: the records
 * are caught at the root logger and formatted with the console handler's own formatter (the one
 * application.properties configured for this profile: JSON or text).
 */
final class ConsoleLog extends ExtHandler implements AutoCloseable {

    private final Formatter console = consoleFormatter();
    private final List<ExtLogRecord> records = new ArrayList<>();
    private final Logger root = LogContext.getLogContext().getLogger("");

    ConsoleLog() {
        root.addHandler(this);
    }

    @Override
    protected synchronized void doPublish(ExtLogRecord record) {
        record.copyAll(); // MDC (trace ids) and the formatted message, as they are on this thread now
        records.add(record);
    }

    /** The console lines of the records so far (one per record; a JSON object each when JSON is on). */
    synchronized List<String> lines() {
        return records.stream().map(r -> console.format(r).stripTrailing()).toList();
    }

    Formatter formatter() {
        return console;
    }

    @Override
    public void close() {
        root.removeHandler(this);
    }

    private static Formatter consoleFormatter() {
        Deque<Handler> todo = new ArrayDeque<>(List.of(LogContext.getLogContext().getLogger("").getHandlers()));
        while (!todo.isEmpty()) {
            Handler handler = todo.pop();
            if (handler instanceof ConsoleHandler) {
                return handler.getFormatter();
            }
            if (handler instanceof ExtHandler parent) {
                todo.addAll(List.of(parent.getHandlers()));
            }
        }
        throw new AssertionError("no console handler under the root logger");
    }
}
