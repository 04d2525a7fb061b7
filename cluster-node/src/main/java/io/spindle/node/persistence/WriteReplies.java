package io.spindle.node.persistence;

import java.util.List;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.JournalProtocol;
import org.apache.pekko.persistence.NonPersistentRepr;
import org.apache.pekko.persistence.PersistentEnvelope;
import org.apache.pekko.persistence.PersistentRepr;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The journal protocol's replies to one {@code WriteMessages}, sent to the writing entity from wherever the write
 * completes, in the protocol's order: the batch's outcome first, then one reply per event (each with its persist's
 * sender) and one per deferred message. An entity has at most one write in flight, so its replies never interleave
 * with those of another of its writes.
 *
 * @param rejections per envelope, the exception that rejected an AtomicWrite before it was stored, else null
 */
record WriteReplies(ActorRef target, int actorInstanceId, ActorRef journal, List<PersistentEnvelope> envelopes,
                    List<Exception> rejections) {

    /** Everything not rejected is stored. */
    void stored() {
        target.tell(JournalProtocol.WriteMessagesSuccessful$.MODULE$, journal);
        for (int i = 0; i < envelopes.size(); i++) {
            PersistentEnvelope envelope = envelopes.get(i);
            Exception rejection = rejections.get(i);
            if (envelope instanceof AtomicWrite write) {
                for (PersistentRepr p : CollectionConverters.asJava(write.payload())) {
                    target.tell(rejection == null
                            ? new JournalProtocol.WriteMessageSuccess(p, actorInstanceId)
                            : new JournalProtocol.WriteMessageRejected(p, rejection, actorInstanceId), p.sender());
                }
            } else {
                loopBack(envelope);
            }
        }
    }

    /** The store failed: none of the events may be assumed stored. */
    void failed(Throwable cause) {
        int atomicWrites = (int) envelopes.stream().filter(e -> e instanceof AtomicWrite).count();
        target.tell(new JournalProtocol.WriteMessagesFailed(cause, atomicWrites), journal);
        for (PersistentEnvelope envelope : envelopes) {
            if (envelope instanceof AtomicWrite write) {
                for (PersistentRepr p : CollectionConverters.asJava(write.payload())) {
                    target.tell(new JournalProtocol.WriteMessageFailure(p, cause, actorInstanceId), p.sender());
                }
            } else {
                loopBack(envelope);
            }
        }
    }

    private void loopBack(PersistentEnvelope envelope) {
        NonPersistentRepr deferred = (NonPersistentRepr) envelope;
        target.tell(new JournalProtocol.LoopMessageSuccess(deferred.payload(), actorInstanceId), deferred.sender());
    }
}
