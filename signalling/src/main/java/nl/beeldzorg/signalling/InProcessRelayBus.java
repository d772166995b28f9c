package nl.beeldzorg.signalling;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import reactor.core.Disposable;

/**
 * The relay of a single node: delivery is a direct call to the room's handler. Used in
 * demo mode and whenever only one node runs.
 */
public final class InProcessRelayBus implements RelayBus {

	private final Map<String, Predicate<Envelope>> rooms = new ConcurrentHashMap<>();

	@Override
	public void publish(Envelope envelope) {
		Predicate<Envelope> delivery = this.rooms.get(envelope.roomId());
		if (delivery != null) {
			delivery.test(envelope);
		}
	}

	@Override
	public Disposable subscribe(String roomId, Predicate<Envelope> delivery) {
		this.rooms.put(roomId, delivery);
		return () -> this.rooms.remove(roomId, delivery);
	}

}
