package io.spindle.cli.client;

/** One Server-Sent Event: its {@code id} (null when the server gave none), {@code event} name (default "message") and data. */
public record SseEvent(String id, String event, String data) {}
