package nl.beeldzorg.consult;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import nl.beeldzorg.audit.AuditRecord;
import nl.beeldzorg.audit.AuditTrail;
import nl.beeldzorg.edge.EventStreamLimit;
import nl.beeldzorg.media.MediaStates;
import nl.beeldzorg.media.PartyMedia;
import nl.beeldzorg.security.CurrentUsers;
import nl.beeldzorg.system.ApiException;
import nl.beeldzorg.system.ErrorCode;
import nl.beeldzorg.system.FieldErrorCode;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The consult calls of {@code API.md}.
 */
@RestController
@RequestMapping("/api/v1")
class ConsultController {

	private final ConsultService service;

	private final CurrentUsers users;

	private final AuditTrail audit;

	private final MediaStates media;

	private final List<UserEvents> otherEvents;

	private final EventStreamLimit streamLimit;

	private final CallBacks callBacks;

	ConsultController(ConsultService service, CurrentUsers users, AuditTrail audit, MediaStates media,
			List<UserEvents> otherEvents, EventStreamLimit streamLimit, CallBacks callBacks) {
		this.callBacks = callBacks;
		this.media = media;
		this.service = service;
		this.users = users;
		this.audit = audit;
		this.otherEvents = otherEvents;
		this.streamLimit = streamLimit;
	}

	@PostMapping("/consults")
	Mono<ResponseEntity<ConsultView>> start(@Valid @RequestBody StartConsultRequest request,
			@RequestHeader(name = "Idempotency-Key", required = false) @Nullable String idempotencyKey) {
		if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 128)) {
			return Mono.error(new ApiException(ErrorCode.REQUEST_INVALID, "Idempotency-Key must be 1 to 128 characters",
					"Idempotency-Key", FieldErrorCode.INVALID));
		}
		return this.users.current()
			.flatMap((user) -> this.service.start(user, request, idempotencyKey))
			.map((started) -> started.created()
					? ResponseEntity.created(URI.create("/api/v1/consults/" + started.view().id())).body(started.view())
					: ResponseEntity.ok()
						.location(URI.create("/api/v1/consults/" + started.view().id()))
						.body(started.view()));
	}

	@GetMapping("/consults/{id}")
	Mono<ConsultView> get(@PathVariable UUID id) {
		return this.users.current().flatMap((user) -> this.service.read(user, id, "consult"));
	}

	@GetMapping("/consults")
	Flux<ConsultView> inbox(@RequestParam(defaultValue = "RINGING") ConsultState state) {
		if (state == ConsultState.SCHEDULED) {
			return this.users.current().flatMapMany(this.service::scheduled);
		}
		if (state != ConsultState.RINGING) {
			return Flux.error(new ApiException(ErrorCode.REQUEST_INVALID,
					"Only state=RINGING (the inbox) and state=SCHEDULED (booked consults) are listed", "state",
					FieldErrorCode.NOT_ALLOWED));
		}
		return this.users.current().flatMapMany(this.service::inbox);
	}

	@PostMapping("/consults/{id}/accept")
	Mono<ConsultView> accept(@PathVariable UUID id) {
		return this.users.current().flatMap((user) -> this.service.accept(user, id));
	}

	/**
	 * The SO who took an ended consult at a ward calls the ward's glasses back: a new
	 * consult, hers at once, ringing the glasses paired with the location.
	 */
	@PostMapping("/consults/{id}/call-back")
	Mono<ResponseEntity<ConsultView>> callBack(@PathVariable UUID id) {
		return this.users.current()
			.flatMap((user) -> this.service.callBack(user, id))
			.map((view) -> ResponseEntity.created(URI.create("/api/v1/consults/" + view.id())).body(view));
	}

	@PostMapping("/consults/{id}/decline")
	Mono<ConsultView> decline(@PathVariable UUID id) {
		return this.users.current().flatMap((user) -> this.service.decline(user, id));
	}

	@PostMapping("/consults/{id}/cancel")
	Mono<ConsultView> cancel(@PathVariable UUID id) {
		return this.users.current().flatMap((user) -> this.service.cancel(user, id));
	}

	@PostMapping("/consults/{id}/escalate")
	Mono<ConsultView> escalate(@PathVariable UUID id) {
		return this.users.current().flatMap((user) -> this.service.escalate(user, id));
	}

	@PostMapping("/consults/{id}/invite")
	Mono<ConsultView> invite(@PathVariable UUID id, @Valid @RequestBody InviteRequest request) {
		return this.users.current()
			.flatMap((user) -> this.service.invite(user, id, request.userId(), request.reason().trim()));
	}

	/**
	 * @param userId the practitioner to invite (e.g. the district nurse at the patient's
	 * home): a nurse or consultant of the consult's institution, or a huisarts of the
	 * asking huisarts's practice; never the programme office
	 * @param reason why they are needed (audited, told to the invitee)
	 */
	record InviteRequest(
			@jakarta.validation.constraints.NotBlank @jakarta.validation.constraints.Size(max = 128) String userId,
			@io.swagger.v3.oas.annotations.media.Schema(
					requiredMode = io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED,
					description = "Why the invitee is needed, 1 to 500 characters; no patient names or BSNs") @jakarta.validation.constraints.NotBlank @jakarta.validation.constraints.Size(
							max = 500) String reason) {
	}

	@PostMapping("/consults/{id}/end")
	Mono<ConsultView> end(@PathVariable UUID id) {
		return this.users.current().flatMap((user) -> this.service.end(user, id));
	}

	/** Who did what to one consult: for its parties and the institution's staff. */
	@GetMapping("/consults/{id}/audit")
	Mono<List<AuditRecord>> audit(@PathVariable UUID id) {
		return this.users.current()
			.flatMap((user) -> this.service.read(user, id, "consult.audit"))
			.flatMap((view) -> this.audit.ofConsult(view.id()).collectList());
	}

	/**
	 * What each party's media did (API.md "Media state", v1.1): for whoever may see the
	 * consult.
	 */
	@io.swagger.v3.oas.annotations.Operation(summary = "What each party's media did (media-state v1.1)",
			description = "Per party that reported over signalling: firstConnectedAt, secondsToMedia (first join to"
					+ " media), state, reconnections, disconnections, failures, samples kept, the last and the median"
					+ " rttMs, lossPct, kbpsIn, kbpsOut, width, height, and relayUsed. For whoever may see the consult.")
	@GetMapping("/consults/{id}/media")
	Mono<List<PartyMedia>> media(@PathVariable UUID id) {
		return this.users.current()
			.flatMap((user) -> this.service.read(user, id, "consult.media"))
			.flatMap((view) -> this.media.ofConsult(view.id()));
	}

	/**
	 * The caller's one live stream: consult events, and those of the other features
	 * (written IMOZ questions) each scoped by its source.
	 */
	/**
	 * A comment every 20 s, so that a quiet stream is not taken for a dead one by a proxy
	 * in between (infra/haproxy/haproxy.cfg, the Kubernetes Ingress: 60 s idle).
	 */
	private static final Flux<ServerSentEvent<?>> KEEP_ALIVE = Flux.interval(Duration.ofSeconds(20))
		.map((tick) -> ServerSentEvent.builder().comment("keep-alive").build());

	@GetMapping(path = "/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	Flux<ServerSentEvent<?>> events(@RequestParam(name = "glasses", required = false) @Nullable String glasses) {
		return this.users.current()
			.flatMapMany((user) -> this.streamLimit.limit(user.userId(),
					Flux.<ServerSentEvent<?>>merge(
							Flux.fromIterable(this.otherEvents).flatMap((source) -> source.stream(user)),
							this.service.events(user),
							(glasses != null) ? this.callBacks.stream(user, glasses) : Flux.empty(), KEEP_ALIVE)));
	}

}
