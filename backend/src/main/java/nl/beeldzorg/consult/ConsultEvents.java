package nl.beeldzorg.consult;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import nl.beeldzorg.cluster.SharedEvents;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;

/**
 * Consult events for the callers' open event streams on this node.
 */
@Component
class ConsultEvents {

	static final String RINGING = "consult.ringing";

	static final String ACCEPTED = "consult.accepted";

	static final String CANCELLED = "consult.cancelled";

	static final String MISSED = "consult.missed";

	static final String ENDED = "consult.ended";

	/**
	 * Nobody answered in time: the next stage rings (to the requester and to those who
	 * stopped ringing).
	 */
	static final String ESCALATED = "consult.escalated";

	/**
	 * A consultant declined (to the requester): the consult view plus {@code declinedBy}
	 * and {@code next}, what happens now.
	 */
	static final String DECLINED = "consult.declined";

	/** A video IMOZ consult was booked with the consultant (to that consultant). */
	static final String SCHEDULED = "consult.scheduled";

	/** A booked consult's moment came and it rings now (to the requester). */
	static final String STARTED = "consult.started";

	/** Someone was invited into the consult (to the invitee). */
	static final String INVITED = "consult.invited";

	private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

	private static final Logger logger = LoggerFactory.getLogger(ConsultEvents.class);

	private final Sinks.Many<Delivery> sink = Sinks.many().multicast().directBestEffort();

	private final @Nullable SharedEvents shared;

	private final JsonMapper json;

	private Disposable fromOtherNodes = () -> {
	};

	ConsultEvents(ObjectProvider<SharedEvents> shared, JsonMapper json) {
		this.shared = shared.getIfAvailable();
		this.json = json;
	}

	/**
	 * With nodes sharing through Redis: what the others publish reaches this node's
	 * streams too.
	 */
	@EventListener(ApplicationReadyEvent.class)
	void listen() {
		SharedEvents shared = this.shared;
		if (shared == null) {
			return;
		}
		this.fromOtherNodes = shared.fromOtherNodes()
			.map((payload) -> this.json.readValue(payload, Delivery.class))
			.doOnError((ex) -> logger.error("Events from other nodes stopped", ex))
			.retry()
			.subscribe(this::emit);
	}

	@jakarta.annotation.PreDestroy
	void stop() {
		this.fromOtherNodes.dispose();
	}

	/**
	 * Sends an event to some users' streams.
	 * @param event the event name
	 * @param view the consult, without {@code join}
	 * @param recipients user ids
	 */
	void publish(String event, ConsultView view, Collection<String> recipients) {
		deliver(new Delivery(event, view.withoutJoin(), Set.copyOf(recipients), null));
	}

	/**
	 * Tells the requester who declined and what happens now, so the requester never reads
	 * a refusal as "nobody answered".
	 * @param view the consult after the decline (still ringing others, or missed)
	 * @param declinedBy the consultant who declined
	 * @param next what happens now
	 */
	void publishDeclined(ConsultView view, ConsultView.Party declinedBy, Declined.Next next) {
		deliver(new Delivery(DECLINED, view.withoutJoin(), Set.of(view.requestedBy().userId()),
				new Declined(declinedBy, next)));
	}

	/**
	 * Tells the SO who called the ward's glasses back that a nurse declined on hers
	 * ("WEIGEREN"); the ward's other glasses keep ringing.
	 * @param view the call-back
	 * @param declinedBy the nurse
	 * @param calledBy the SO who called back
	 */
	void publishCallBackDeclined(ConsultView view, ConsultView.Party declinedBy, String calledBy) {
		deliver(new Delivery(DECLINED, view.withoutJoin(), Set.of(calledBy),
				new Declined(declinedBy, Declined.Next.OTHERS_RING)));
	}

	private void deliver(Delivery delivery) {
		emit(delivery);
		SharedEvents shared = this.shared;
		if (shared != null && !delivery.recipients().isEmpty()) {
			shared.publish(this.json.writeValueAsString(delivery))
				.subscribe(null, (ex) -> logger.warn("Could not pass {} on to the other nodes: {}", delivery.event(),
						ex.toString()));
		}
	}

	private void emit(Delivery delivery) {
		synchronized (this.sink) {
			this.sink.tryEmitNext(delivery);
		}
	}

	/**
	 * @param userId the caller
	 * @return the caller's events, opened by a comment and with one every 15 s to keep
	 * proxies from closing the stream
	 */
	Flux<ServerSentEvent<Object>> stream(String userId) {
		Flux<ServerSentEvent<Object>> events = this.sink.asFlux()
			.filter((delivery) -> delivery.recipients().contains(userId))
			.map((delivery) -> ServerSentEvent.builder(data(delivery))
				.event(delivery.event())
				.id(delivery.view().id().toString())
				.build());
		Flux<ServerSentEvent<Object>> keepAlive = Flux.interval(KEEP_ALIVE)
			.map((tick) -> ServerSentEvent.builder().comment("keep-alive").build());
		// A first comment at once: the response (and its headers) goes out now, so a
		// client
		// knows it is live without waiting for the first keep-alive.
		Mono<ServerSentEvent<Object>> opened = Mono.just(ServerSentEvent.builder().comment("connected").build());
		return Flux.merge(events, keepAlive).startWith(opened);
	}

	// The consult view, and for a decline the view's fields plus who declined and what
	// happens now (additive: a client reading the view reads this one too).
	private Object data(Delivery delivery) {
		Declined declined = delivery.declined();
		if (declined == null) {
			return delivery.view();
		}
		Map<String, Object> data = new LinkedHashMap<>();
		this.json.convertValue(delivery.view(), Map.class)
			.forEach((key, value) -> data.put(String.valueOf(key), value));
		data.put("declinedBy", declined.declinedBy());
		data.put("next", declined.next());
		return data;
	}

	/**
	 * A consultant's refusal as the requester is told it.
	 *
	 * @param declinedBy who declined (name and discipline)
	 * @param next what happens now
	 */
	record Declined(ConsultView.Party declinedBy, Next next) {

		/** What happens after a decline. */
		enum Next {

			/** Others of the same stage still ring. */
			OTHERS_RING,

			/** The next stage of the ring plan rings now (the backup, the SO). */
			NEXT_STAGE_RINGS,

			/** Nobody is left to ring: the consult is missed, call the fallback. */
			NOBODY_LEFT

		}

	}

	private record Delivery(String event, ConsultView view, Set<String> recipients, @Nullable Declined declined) {
	}

}
