package nl.beeldzorg.consult;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import nl.beeldzorg.cluster.SharedEvents;
import nl.beeldzorg.directory.Directory;
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
 * Rings a ward's glasses when an SO calls them back. A device is addressed by the event
 * stream the glasses app opens with {@code GET /api/v1/events?glasses=<deviceId>}: a
 * nurse of the institution signed in on glasses the institution paired with the consult's
 * location hears it ({@code consult.ringing} with {@code callBackOf}); when a nurse
 * answered or the SO hung up, the other glasses hear {@code consult.accepted} or
 * {@code consult.ended} and stop ringing. With several nodes every call-back event also
 * goes through Redis ({@link SharedEvents}, topic {@code call-backs}), so glasses whose
 * stream is open on another node than the SO's request ring, and stop, too.
 */
@Component
class CallBacks {

	static final String TOPIC = "call-backs";

	private static final Logger logger = LoggerFactory.getLogger(CallBacks.class);

	private final Sinks.Many<Delivery> sink = Sinks.many().multicast().directBestEffort();

	private final Directory directory;

	private final JsonMapper json;

	private final @Nullable SharedEvents shared;

	private Disposable fromOtherNodes = () -> {
	};

	CallBacks(Directory directory, JsonMapper json, ObjectProvider<SharedEvents> shared) {
		this.directory = directory;
		this.json = json;
		this.shared = shared.getIfAvailable();
	}

	@EventListener(ApplicationReadyEvent.class)
	void listen() {
		SharedEvents shared = this.shared;
		if (shared == null) {
			return;
		}
		this.fromOtherNodes = shared.fromOtherNodes(TOPIC)
			.map((payload) -> this.json.readValue(payload, Delivery.class))
			.doOnError((ex) -> logger.error("Call-backs from other nodes stopped", ex))
			.retry()
			.subscribe(this::emit);
	}

	@jakarta.annotation.PreDestroy
	void stop() {
		this.fromOtherNodes.dispose();
	}

	/**
	 * @param event the event name
	 * @param view the call-back consult, without {@code join}
	 * @param origin the consult it follows
	 */
	void publish(String event, ConsultView view, UUID origin) {
		Map<String, Object> data = new LinkedHashMap<>();
		this.json.convertValue(view.withoutJoin(), Map.class)
			.forEach((key, value) -> data.put(String.valueOf(key), value));
		data.put("callBackOf", origin.toString());
		Delivery delivery = new Delivery(event, view.id(), view.institutionId(), view.locationId(), data);
		emit(delivery);
		SharedEvents shared = this.shared;
		if (shared != null) {
			shared.publish(TOPIC, this.json.writeValueAsString(delivery))
				.subscribe(null, (ex) -> logger.warn("Could not pass the call-back's {} on to the other nodes: {}",
						event, ex.toString()));
		}
	}

	private void emit(Delivery delivery) {
		synchronized (this.sink) {
			this.sink.tryEmitNext(delivery);
		}
	}

	/**
	 * @param user the signed-in nurse
	 * @param deviceId the glasses' device id
	 * @return the call-backs for the glasses' ward, from now on
	 */
	Flux<ServerSentEvent<?>> stream(CurrentUser user, String deviceId) {
		String institution = user.institutionId();
		if (institution == null || user.discipline() != Discipline.NURSE) {
			return Flux.empty();
		}
		return this.sink.asFlux()
			.filter((delivery) -> institution.equals(delivery.institutionId()) && delivery.locationId() != null)
			// Paired now: an ADMIN may have re-paired the glasses since the stream
			// opened.
			.concatMap((delivery) -> this.directory.pairedLocations(institution, deviceId)
				.any((location) -> location.id().equals(delivery.locationId()))
				.flatMap((paired) -> paired ? Mono.just(delivery) : Mono.empty()))
			.map((delivery) -> ServerSentEvent.<Object>builder(delivery.data())
				.event(delivery.event())
				.id(delivery.consultId().toString())
				.build());
	}

	record Delivery(String event, UUID consultId, @Nullable String institutionId, @Nullable String locationId,
			Map<String, Object> data) {
	}

}
