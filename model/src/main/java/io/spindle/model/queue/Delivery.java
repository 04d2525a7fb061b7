package io.spindle.model.queue;

/** A ticket handed to one consumer; {@code deliveryId} (the stream entry id) is what gets acked. */
public record Delivery(QueueTicket ticket, String deliveryId, String stream) {}
