package nl.beeldzorg.consult;

import java.time.Duration;
import java.util.Collection;
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
		Delivery delivery = new Delivery(event, view.withoutJoin(), Set.copyOf(recipients));
		emit(delivery);
		SharedEvents shared = this.shared;
		if (shared != null && !delivery.recipients().isEmpty()) {
			shared.publish(this.json.writeValueAsString(delivery))
				.subscribe(null,
						(ex) -> logger.warn("Could not pass {} on to the other nodes: {}", event, ex.toString()));
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
	Flux<ServerSentEvent<ConsultView>> stream(String userId) {
		Flux<ServerSentEvent<ConsultView>> events = this.sink.asFlux()
			.filter((delivery) -> delivery.recipients().contains(userId))
			.map((delivery) -> ServerSentEvent.builder(delivery.view())
				.event(delivery.event())
				.id(delivery.view().id().toString())
				.build());
		Flux<ServerSentEvent<ConsultView>> keepAlive = Flux.interval(KEEP_ALIVE)
			.map((tick) -> ServerSentEvent.<ConsultView>builder().comment("keep-alive").build());
		// A first comment at once: the response (and its headers) goes out now, so a
		// client
		// knows it is live without waiting for the first keep-alive.
		Mono<ServerSentEvent<ConsultView>> opened = Mono
			.just(ServerSentEvent.<ConsultView>builder().comment("connected").build());
		return Flux.merge(events, keepAlive).startWith(opened);
	}

	private record Delivery(String event, ConsultView view, Set<String> recipients) {
	}

}
