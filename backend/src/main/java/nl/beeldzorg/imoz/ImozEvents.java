package nl.beeldzorg.imoz;

import java.util.UUID;

import nl.beeldzorg.cluster.SharedEvents;
import nl.beeldzorg.consult.UserEvents;
import nl.beeldzorg.security.CurrentUser;
import nl.beeldzorg.security.Discipline;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;

/**
 * Written IMOZ questions live on the callers' event streams, on this node and (through
 * Redis) on the others. Each recipient gets what the API would show them: the asking
 * practice's huisartsen and the SOs follow a question as {@code GET} returns it; an SO
 * who can no longer read it (a colleague took it, the huisarts withdrew it) gets only its
 * id and state, to drop it from her list. Nobody else gets anything.
 */
@Component
class ImozEvents implements UserEvents {

	/** A huisarts asked (to the region's SOs and the practice). */
	static final String CREATED = "imoz.question.created";

	/** A photo was added while the question waits (to whoever sees it). */
	static final String UPDATED = "imoz.question.updated";

	/**
	 * An SO took it (the practice and that SO get the question, the other SOs its id).
	 */
	static final String CLAIMED = "imoz.question.claimed";

	/** The SO answered (to the practice and that SO). */
	static final String ANSWERED = "imoz.question.answered";

	/**
	 * The huisarts withdrew it (the practice and the SO who took it get the question).
	 */
	static final String WITHDRAWN = "imoz.question.withdrawn";

	private static final String TOPIC = "imoz";

	private static final Logger logger = LoggerFactory.getLogger(ImozEvents.class);

	private final Sinks.Many<Delivery> sink = Sinks.many().multicast().directBestEffort();

	private final ImozViews views;

	private final @Nullable SharedEvents shared;

	private final JsonMapper json;

	private Disposable fromOtherNodes = () -> {
	};

	ImozEvents(ImozViews views, ObjectProvider<SharedEvents> shared, JsonMapper json) {
		this.views = views;
		this.shared = shared.getIfAvailable();
		this.json = json;
	}

	@EventListener(ApplicationReadyEvent.class)
	void listen() {
		SharedEvents shared = this.shared;
		if (shared == null) {
			return;
		}
		this.fromOtherNodes = shared.fromOtherNodes(TOPIC)
			.map((payload) -> this.json.readValue(payload, Delivery.class))
			.doOnError((ex) -> logger.error("IMOZ events from other nodes stopped", ex))
			.retry()
			.subscribe(this::emit);
	}

	@jakarta.annotation.PreDestroy
	void stop() {
		this.fromOtherNodes.dispose();
	}

	/**
	 * Tells those who may see it that a question changed. Never fails: the change is
	 * stored, and apps re-read their lists after every reconnect.
	 * @param event the event name
	 * @param q the question as stored now
	 * @return done once this node's streams have it
	 */
	Mono<Void> publish(String event, ImozQuestion q) {
		return this.views.view(q).doOnNext((view) -> {
			Delivery delivery = new Delivery(event, view);
			emit(delivery);
			SharedEvents shared = this.shared;
			if (shared != null) {
				shared.publish(TOPIC, this.json.writeValueAsString(delivery))
					.subscribe(null,
							(ex) -> logger.warn("Could not pass {} on to the other nodes: {}", event, ex.toString()));
			}
		}).then().onErrorResume((ex) -> {
			logger.warn("Could not tell the apps about {} of {}: {}", event, q.id(), ex.toString());
			return Mono.empty();
		});
	}

	private void emit(Delivery delivery) {
		synchronized (this.sink) {
			this.sink.tryEmitNext(delivery);
		}
	}

	@Override
	public Flux<ServerSentEvent<?>> stream(CurrentUser user) {
		return this.sink.asFlux().<ServerSentEvent<?>>handle((delivery, next) -> {
			Object data = dataFor(user, delivery);
			if (data != null) {
				next.next(ServerSentEvent.builder(data)
					.event(delivery.event())
					.id(delivery.view().id().toString())
					.build());
			}
		});
	}

	/**
	 * What this user may read of the change, or null when it is none of their business.
	 */
	private static @Nullable Object dataFor(CurrentUser user, Delivery delivery) {
		ImozController.View view = delivery.view();
		if (user.discipline() == Discipline.HUISARTS) {
			return view.practiceId().equals(user.practiceId()) ? view : null;
		}
		if (user.discipline() != Discipline.SO) {
			return null;
		}
		ImozController.Person claimant = view.claimant();
		if (view.state() == ImozQuestion.State.OPEN || (claimant != null && claimant.userId().equals(user.userId()))) {
			return view;
		}
		boolean leftTheOpenList = CLAIMED.equals(delivery.event()) || WITHDRAWN.equals(delivery.event());
		return leftTheOpenList ? new Gone(view.id(), view.state()) : null;
	}

	/**
	 * What an SO reads of a question she can no longer see.
	 *
	 * @param id the question
	 * @param state where it went
	 */
	record Gone(UUID id, ImozQuestion.State state) {
	}

	private record Delivery(String event, ImozController.View view) {
	}

}
