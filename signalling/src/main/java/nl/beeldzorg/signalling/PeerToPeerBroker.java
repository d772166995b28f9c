package nl.beeldzorg.signalling;

import java.util.Objects;

import nl.beeldzorg.signalling.protocol.SignalMessage;
import reactor.core.publisher.Mono;

/**
 * Media flows browser to browser (through STUN/TURN); the server only relays negotiation.
 */
public final class PeerToPeerBroker implements MediaBroker {

	@Override
	public Mono<Void> negotiate(String roomId, SignalMessage.Negotiation message, RelayBus relay) {
		relay.publish(Envelope.to(roomId, Objects.requireNonNull(message.to()), message));
		return Mono.empty();
	}

}
