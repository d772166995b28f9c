package nl.beeldzorg.edge;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;

/**
 * Caps each user's open live event streams on this node. One more than
 * {@code beeldzorg.connections.max-event-streams-per-user} closes the user's oldest
 * stream, which gets a last {@code stream.closed} event (code
 * {@code events.too-many-streams}) so that its page stops reconnecting. The newest stream
 * is the tab in front of the user; refusing it would leave the page she is looking at
 * without rings, while the oldest is the tab she forgot.
 */
@Component
public class EventStreamLimit {

	/** The last event of a stream that was closed for a newer one. */
	public static final String CLOSED_EVENT = "stream.closed";

	/** The stable code in that event's data. */
	public static final String TOO_MANY_STREAMS = "events.too-many-streams";

	private final int maxPerUser;

	private final Map<String, Deque<Sinks.One<ServerSentEvent<?>>>> open = new ConcurrentHashMap<>();

	EventStreamLimit(ConnectionProperties limits) {
		this.maxPerUser = limits.maxEventStreamsPerUser();
	}

	/**
	 * @param userId whose stream it is
	 * @param events the stream
	 * @return the stream, counted while it is subscribed, ended (after a
	 * {@value #CLOSED_EVENT} event) when the user opens too many newer ones
	 */
	public Flux<ServerSentEvent<?>> limit(String userId, Flux<ServerSentEvent<?>> events) {
		return Flux.defer(() -> {
			Sinks.One<ServerSentEvent<?>> closer = Sinks.one();
			Sinks.One<ServerSentEvent<?>> oldest = register(userId, closer);
			if (oldest != null) {
				oldest.tryEmitValue(closedEvent());
			}
			return events.takeUntilOther(closer.asMono())
				.concatWith(closer.asMono())
				.doFinally((signal) -> unregister(userId, closer));
		});
	}

	/**
	 * @param userId a user
	 * @return the user's streams open on this node
	 */
	public int openStreams(String userId) {
		Deque<Sinks.One<ServerSentEvent<?>>> streams = this.open.get(userId);
		if (streams == null) {
			return 0;
		}
		synchronized (streams) {
			return streams.size();
		}
	}

	private Sinks.@Nullable One<ServerSentEvent<?>> register(String userId, Sinks.One<ServerSentEvent<?>> closer) {
		Sinks.One<ServerSentEvent<?>>[] oldest = newHolder();
		this.open.compute(userId, (key, streams) -> {
			Deque<Sinks.One<ServerSentEvent<?>>> list = (streams != null) ? streams : new ArrayDeque<>();
			synchronized (list) {
				list.addLast(closer);
				if (list.size() > this.maxPerUser) {
					oldest[0] = list.pollFirst();
				}
			}
			return list;
		});
		return oldest[0];
	}

	private void unregister(String userId, Sinks.One<ServerSentEvent<?>> closer) {
		this.open.computeIfPresent(userId, (key, streams) -> {
			synchronized (streams) {
				streams.remove(closer);
				return streams.isEmpty() ? null : streams;
			}
		});
	}

	@SuppressWarnings("unchecked")
	private static Sinks.One<ServerSentEvent<?>>[] newHolder() {
		return new Sinks.One[1];
	}

	private ServerSentEvent<?> closedEvent() {
		return ServerSentEvent.builder(Map.of("code", TOO_MANY_STREAMS, "detail",
				"More than " + this.maxPerUser + " event streams of this user are open; this, the oldest, was closed",
				"maxStreams", this.maxPerUser))
			.event(CLOSED_EVENT)
			.build();
	}

}
