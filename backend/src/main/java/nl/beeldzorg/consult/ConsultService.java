package nl.beeldzorg.consult;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import nl.beeldzorg.audit.AccessLog;
import nl.beeldzorg.audit.AuditAction;
import nl.beeldzorg.audit.AuditTrail;
import nl.beeldzorg.directory.Directory;
import nl.beeldzorg.directory.Location;
import nl.beeldzorg.ledger.LedgerService;
import nl.beeldzorg.media.MediaCells;
import nl.beeldzorg.recording.Recordings;
import nl.beeldzorg.routing.Presence;
import nl.beeldzorg.routing.Router;
import nl.beeldzorg.security.CurrentUser;
import nl.beeldzorg.security.Discipline;
import nl.beeldzorg.signalling.SignallingEngine;
import nl.beeldzorg.system.ApiException;
import nl.beeldzorg.system.DatabaseScheduler;
import nl.beeldzorg.system.ErrorCode;
import nl.beeldzorg.system.FieldErrorCode;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * The consult lifecycle. Every change is one transaction holding the state change, the
 * ringing rows and the audit records, so a consult is never half written; events go out
 * after the commit.
 */
@Service
class ConsultService {

	/** How far ahead a video IMOZ consult may be booked. */
	private static final java.time.Duration MIN_AHEAD = java.time.Duration.ofMinutes(1);

	private static final java.time.Duration MAX_AHEAD = java.time.Duration.ofDays(90);

	private final ConsultRepository consults;

	private final Directory directory;

	private final AuditTrail audit;

	private final ConsultViews views;

	private final ConsultEvents events;

	private final SignallingEngine signalling;

	private final LedgerService ledger;

	private final TransactionalOperator tx;

	private final DatabaseScheduler scheduler;

	private final Clock clock;

	private final ConsultRouting routing;

	private final Escalation escalation;

	private final Escalator escalator;

	private final RingNotifier notifier;

	private final Presence presence;

	private final SteppedCare steppedCare;

	/** The connection-quality rollup counts each accepted consult. */
	private final MediaCells mediaCells;

	private final AccessLog access;

	private final CallBacks callBacks;

	/** The end of a consult stops its recording. */
	private final Recordings recordings;

	ConsultService(ConsultRepository consults, Directory directory, AuditTrail audit, ConsultViews views,
			ConsultEvents events, SignallingEngine signalling, LedgerService ledger, TransactionalOperator tx,
			DatabaseScheduler scheduler, Clock clock, ConsultRouting routing, Escalation escalation,
			Escalator escalator, RingNotifier notifier, Presence presence, SteppedCare steppedCare,
			MediaCells mediaCells, AccessLog access, CallBacks callBacks, Recordings recordings) {
		this.recordings = recordings;
		this.callBacks = callBacks;
		this.access = access;
		this.mediaCells = mediaCells;
		this.steppedCare = steppedCare;
		this.routing = routing;
		this.escalation = escalation;
		this.escalator = escalator;
		this.notifier = notifier;
		this.presence = presence;
		this.consults = consults;
		this.directory = directory;
		this.audit = audit;
		this.views = views;
		this.events = events;
		this.signalling = signalling;
		this.ledger = ledger;
		this.tx = tx;
		this.scheduler = scheduler;
		this.clock = clock;
	}

	/**
	 * Starts a consult, or returns the one started earlier with the same idempotency key.
	 * @param user the requester
	 * @param request what they ask
	 * @param idempotencyKey the request's Idempotency-Key, if any
	 * @return the consult, and whether it was created now
	 */
	Mono<Started> start(CurrentUser user, StartConsultRequest request, @Nullable String idempotencyKey) {
		String requestHash = hash(request);
		Mono<Started> create = this.directory.remember(user)
			.then(Mono.defer(() -> validate(user, request)))
			.flatMap((routing) -> create(user, request, routing, idempotencyKey, requestHash));
		if (idempotencyKey == null) {
			return create;
		}
		return this.scheduler.run(this.consults.findByIdempotencyKey(user.userId(), idempotencyKey))
			.flatMap((existing) -> replay(user, existing, requestHash))
			.switchIfEmpty(create.onErrorResume(DataIntegrityViolationException.class,
					(ex) -> this.scheduler.run(this.consults.findByIdempotencyKey(user.userId(), idempotencyKey))
						.flatMap((existing) -> replay(user, existing, requestHash))));
	}

	/**
	 * One consult the caller may read, its read logged (NEN 7513) while it is rendered.
	 * @param user the reader
	 * @param id the consult
	 * @param what what is read of it, for the audit record ({@code consult},
	 * {@code consult.audit}, ...)
	 * @return the consult as the caller sees it
	 */
	Mono<ConsultView> read(CurrentUser user, UUID id, String what) {
		return visible(user,
				id)
			.flatMap((consult) -> Mono
				.zip(this.views.view(consult, user),
						this.access.read(user, consult.institutionId(), consult.id(), what).thenReturn(true))
				.map((both) -> both.getT1()));
	}

	/**
	 * Booked video consults the user asked for or is booked for.
	 */
	Flux<ConsultView> scheduled(CurrentUser user) {
		return logged(user, "consults.scheduled", this.scheduler.run(this.consults.scheduledFor(user.userId()))
			.concatMap((consult) -> this.views.view(consult, user)));
	}

	Flux<ConsultView> inbox(CurrentUser user) {
		return logged(user, "consults.inbox",
				this.directory.remember(user)
					.thenMany(this.scheduler.run(this.consults.ringingFor(user.userId())))
					.concatMap((consult) -> this.views.view(consult, user)));
	}

	/** A list goes out once its read is logged, in one record naming every consult. */
	private Flux<ConsultView> logged(CurrentUser user, String what, Flux<ConsultView> list) {
		return list.collectList()
			.flatMapMany((views) -> this.access
				.listed(user, user.institutionId(), views.stream().map(ConsultView::id).toList(), what)
				.thenMany(Flux.fromIterable(views)));
	}

	/**
	 * The caller's live events; opening the stream also makes a consultant known to
	 * routing.
	 * @param user the caller
	 * @return the stream
	 */
	Flux<ServerSentEvent<Object>> events(CurrentUser user) {
		return this.directory.remember(user)
			.thenMany(this.events.stream(user.userId())
				.doOnSubscribe((subscription) -> this.presence.opened(user.userId()))
				.doFinally((signal) -> this.presence.closed(user.userId())));
	}

	Mono<ConsultView> accept(CurrentUser user, UUID id) {
		if (!user.isConsultant()) {
			return answerCallBack(user, id);
		}
		Instant now = now();
		Mono<Consult> change = visibleForChange(user, id).flatMap((consult) -> {
			if (consult.state() == ConsultState.ACTIVE && user.userId().equals(consult.consultantId())) {
				// A retry after a lost response: it is already ours.
				return Mono.just(consult);
			}
			return ringOf(consult, user).flatMap((ring) -> {
				if (consult.state() == ConsultState.ACTIVE && ring.state() == Ring.RingState.RINGING) {
					return this.steppedCare.join(consult, user, now);
				}
				if (consult.state() != ConsultState.RINGING) {
					return Mono.error(notRinging(consult));
				}
				if (ring.state() != Ring.RingState.RINGING) {
					return Mono.error(new ApiException(ErrorCode.CONSULT_NOT_RINGING_FOR_YOU,
							"You declined this consult or it no longer rings for you"));
				}
				return this.consults
					.accept(consult, user.userId(), Objects.requireNonNull(user.discipline()), user.institutionId(),
							now)
					.flatMap((won) -> won ? this.mediaCells.accepted(id).thenReturn(consult)
							: this.consults.findById(id).flatMap((latest) -> Mono.error(notRinging(latest))));
			})
				.flatMap((accepted) -> this.consults.respondToRing(id, user.userId(), Ring.RingState.ACCEPTED, now)
					.then(this.consults.withdrawRings(id, now))
					.then(record(user, accepted, AuditAction.ACCEPTED, null))
					.then(this.consults.findById(id)));
		});
		return inTransaction(change).flatMap((consult) -> this.views.view(consult, user)
			.flatMap((view) -> this.scheduler.run(this.consults.rings(id).map(Ring::userId).collectList())
				.map((rung) -> {
					List<String> recipients = new ArrayList<>(rung);
					recipients.add(consult.requestedBy());
					this.events.publish(ConsultEvents.ACCEPTED, view, recipients);
					return view;
				})));
	}

	/**
	 * The SO who took a consult at a ward calls the ward's glasses back after it ended: a
	 * new consult of the same client and location, the SO already its consultant, that
	 * rings the glasses paired with the location ({@link CallBacks}) until a nurse of the
	 * ward answers on them. The SO joins it at once with the view's join token.
	 */
	Mono<ConsultView> callBack(CurrentUser user, UUID id) {
		Instant now = now();
		Mono<Map.Entry<Consult, UUID>> change = visibleForChange(user, id).flatMap((origin) -> {
			if (!user.isConsultant() || !user.userId().equals(origin.consultantId())) {
				return Mono.error(new ApiException(ErrorCode.CONSULT_NOT_A_PARTY,
						"Only the consultant who took the consult calls the ward back"));
			}
			if (origin.state() != ConsultState.ENDED) {
				return Mono.error(invalidState(origin, "call back after"));
			}
			String institution = origin.institutionId();
			String location = origin.locationId();
			if (institution == null || location == null) {
				return Mono.error(noGlasses());
			}
			Consult callBack = new Consult(UUID.randomUUID(), origin.kind(), ConsultState.RINGING, 0, institution,
					location, origin.clientRef(), origin.question(), origin.urgency(), origin.requestedDiscipline(),
					origin.requestedBy(), origin.requestedByDiscipline(), null, null, null, null, now, null, null, null,
					0, null, origin.expertise(), null);
			return this.consults.hasPairedGlasses(institution, location)
				.flatMap((paired) -> paired ? Mono.just(callBack) : Mono.error(noGlasses()))
				.flatMap((created) -> this.consults.insert(created)
					.then(this.consults.accept(created, user.userId(), Objects.requireNonNull(user.discipline()),
							institution, now))
					.then(this.consults.insertCallBack(created.id(), origin.id(), user.userId(), now))
					.then(record(user, created, AuditAction.CALLED_BACK, "call-back of " + origin.id()))
					.then(this.mediaCells.accepted(created.id()))
					.then(this.consults.findById(created.id())))
				.map((created) -> Map.entry(created, origin.id()));
		});
		return inTransaction(change).flatMap((done) -> this.views.view(done.getKey(), user)
			.doOnNext((view) -> this.callBacks.publish(ConsultEvents.RINGING, view, done.getValue())));
	}

	private static ApiException noGlasses() {
		return new ApiException(ErrorCode.CONSULT_NO_PAIRED_GLASSES,
				"No glasses are paired with this consult's location (PUT /api/v1/admin/glasses/{deviceId})");
	}

	/**
	 * A nurse of the ward answers a call-back on the ward's glasses: she is invited into
	 * it (her view carries the join token), the SO hears {@code consult.accepted}, and
	 * the ward's other glasses stop ringing. Answering twice changes nothing.
	 */
	private Mono<ConsultView> answerCallBack(CurrentUser user, UUID id) {
		if (user.discipline() != Discipline.NURSE) {
			return Mono.error(new ApiException(ErrorCode.CONSULT_NOT_RINGING_FOR_YOU, "Only consultants accept"));
		}
		Instant now = now();
		Mono<Map.Entry<Consult, ConsultRepository.CallBack>> change = visibleForChange(user, id)
			.flatMap((consult) -> this.consults.callBack(id)
				.switchIfEmpty(Mono.error(() -> new ApiException(ErrorCode.CONSULT_NOT_RINGING_FOR_YOU,
						"Only consultants accept; a nurse answers only a call-back to her ward's glasses")))
				.flatMap((callBack) -> {
					if (callBack.answeredBy().equals(user.userId())) {
						return Mono.just(Map.entry(consult, callBack));
					}
					if (consult.state() != ConsultState.ACTIVE) {
						return Mono.error(invalidState(consult, "answer"));
					}
					if (!callBack.answeredBy().isEmpty()) {
						return Mono.error(new ApiException(ErrorCode.CONSULT_ALREADY_ACCEPTED,
								"Another nurse answered this call-back"));
					}
					return this.consults.answerCallBack(id, user.userId(), now)
						.flatMap((won) -> won ? this.consults
							.invite(id, user.userId(), callBack.calledBy(), now,
									"answered the call-back on the ward's glasses")
							.then(record(user, consult, AuditAction.ACCEPTED, "call-back on the ward's glasses"))
							.thenReturn(Map.entry(consult, callBack))
								: Mono.error(new ApiException(ErrorCode.CONSULT_ALREADY_ACCEPTED,
										"Another nurse answered this call-back")));
				}));
		return inTransaction(change).flatMap((done) -> this.views.view(done.getKey(), user).doOnNext((view) -> {
			this.events.publish(ConsultEvents.ACCEPTED, view, List.of(done.getValue().calledBy()));
			this.callBacks.publish(ConsultEvents.ACCEPTED, view, done.getValue().originId());
		}));
	}

	Mono<ConsultView> decline(CurrentUser user, UUID id) {
		if (!user.isConsultant()) {
			return declineCallBack(user, id);
		}
		Instant now = now();
		Mono<Escalation.Step> change = visibleForChange(user, id)
			.flatMap((consult) -> ringOf(consult, user).flatMap((ring) -> {
				if (consult.state() != ConsultState.RINGING) {
					return Mono.<Escalation.Step>error(notRinging(consult));
				}
				return this.consults.respondToRing(id, user.userId(), Ring.RingState.DECLINED, now)
					.flatMap((declined) -> declined ? record(user, consult, AuditAction.DECLINED, null)
							: Mono.error(new ApiException(ErrorCode.CONSULT_NOT_RINGING_FOR_YOU,
									"This consult no longer rings for you")))
					.then(this.consults.rings(id).filter((r) -> r.state() == Ring.RingState.RINGING).hasElements())
					.flatMap((stillRinging) -> stillRinging ? Mono.just(Escalation.Step.NONE)
							: this.escalation.advance(consult, now, "every consultant rung declined"));
			}));
		// The requester hears who declined first, then what the escalation did (the next
		// stage's ringing, or missed), so a refusal never reads as "nobody answered".
		return inTransaction(change).flatMap((step) -> this.scheduler.run(this.consults.findById(id))
			.flatMap((consult) -> this.views.view(consult, user))
			.doOnNext((view) -> {
				if (view.state() == ConsultState.RINGING || view.state() == ConsultState.MISSED) {
					this.events.publishDeclined(view,
							new ConsultView.Party(user.userId(), user.discipline(), user.name()), next(view, step));
				}
			})
			.flatMap((view) -> this.escalator.announce(id, step).thenReturn(view)));
	}

	/**
	 * A nurse declines a call-back ringing on her glasses ("WEIGEREN"): the SO who called
	 * back hears it (on whichever node her app is), the ward's other glasses keep
	 * ringing.
	 */
	private Mono<ConsultView> declineCallBack(CurrentUser user, UUID id) {
		if (user.discipline() != Discipline.NURSE) {
			return Mono.error(new ApiException(ErrorCode.CONSULT_NOT_RINGING_FOR_YOU, "Only consultants decline"));
		}
		Mono<Map.Entry<Consult, ConsultRepository.CallBack>> change = visibleForChange(user, id)
			.flatMap((consult) -> this.consults.callBack(id)
				.switchIfEmpty(Mono.error(() -> new ApiException(ErrorCode.CONSULT_NOT_RINGING_FOR_YOU,
						"Only consultants decline; a nurse declines only a call-back to her ward's glasses")))
				.flatMap((callBack) -> {
					if (consult.state() != ConsultState.ACTIVE) {
						return Mono.error(invalidState(consult, "decline"));
					}
					if (!callBack.answeredBy().isEmpty()) {
						return Mono.error(new ApiException(ErrorCode.CONSULT_ALREADY_ACCEPTED,
								"Another nurse answered this call-back"));
					}
					return record(user, consult, AuditAction.DECLINED, "call-back on the ward's glasses")
						.thenReturn(Map.entry(consult, callBack));
				}));
		return inTransaction(change).flatMap((done) -> this.views.view(done.getKey(), user)
			.doOnNext((view) -> this.events.publishCallBackDeclined(view,
					new ConsultView.Party(user.userId(), user.discipline(), user.name()), done.getValue().calledBy())));
	}

	private static ConsultEvents.Declined.Next next(ConsultView view, Escalation.Step step) {
		if (view.state() == ConsultState.MISSED) {
			return ConsultEvents.Declined.Next.NOBODY_LEFT;
		}
		return (step.kind() == Escalation.Step.Kind.ESCALATED) ? ConsultEvents.Declined.Next.NEXT_STAGE_RINGS
				: ConsultEvents.Declined.Next.OTHERS_RING;
	}

	Mono<ConsultView> cancel(CurrentUser user, UUID id) {
		Instant now = now();
		Mono<Finished> change = visibleForChange(user, id).flatMap((consult) -> {
			if (!consult.requestedBy().equals(user.userId())) {
				return Mono.error(new ApiException(ErrorCode.CONSULT_NOT_A_PARTY, "Only the requester can cancel"));
			}
			if (consult.state() == ConsultState.CANCELLED) {
				// A retry after a lost response: already withdrawn, nothing more to do.
				return Mono.just(new Finished(consult, List.of()));
			}
			boolean scheduled = consult.state() == ConsultState.SCHEDULED;
			return this.consults
				.finish(consult, scheduled ? ConsultState.SCHEDULED : ConsultState.RINGING, ConsultState.CANCELLED, now)
				.flatMap((done) -> done ? Mono.just(consult)
						: this.consults.findById(id).flatMap((latest) -> Mono.error(invalidState(latest, "cancel"))))
				.flatMap((cancelled) -> (scheduled ? this.consults.plannedStage(id, 0)
						: this.consults.rings(id).filter((ring) -> ring.state() == Ring.RingState.RINGING))
					.map(Ring::userId)
					.collectList()
					.flatMap((ringing) -> this.consults.withdrawRings(id, now)
						.then(record(user, cancelled, AuditAction.CANCELLED, null))
						.then(this.ledger.recordLoss(id, now))
						.then(this.consults.findById(id))
						.map((latest) -> new Finished(latest, ringing))));
		});
		return inTransaction(change).flatMap((finished) -> {
			this.signalling.closeRoom(id.toString());
			return this.views.view(finished.consult(), user)
				.doOnNext((view) -> this.events.publish(ConsultEvents.CANCELLED, view, finished.recipients()));
		});
	}

	/**
	 * The VS or PA in the call asks for the SO: the institution's present SOs ring, and
	 * the one who accepts joins the same room.
	 */
	Mono<ConsultView> escalate(CurrentUser user, UUID id) {
		Instant now = now();
		return inTransaction(visibleForChange(user, id)
			.flatMap((consult) -> this.steppedCare.ringSos(consult, user, now).map((rung) -> Map.entry(consult, rung))))
			.flatMap((done) -> this.views.view(done.getKey(), user).doOnNext((view) -> {
				this.events.publish(ConsultEvents.RINGING, view, done.getValue());
				this.notifier.ring(view, done.getValue());
			}));
	}

	/**
	 * A party invites someone into the consult (a district nurse with glasses at the
	 * patient's home, in a three-way IMOZ consult), saying why; they get
	 * {@code consult.invited} and may join the room until it ends. Only the consult's
	 * care team may be invited: a nurse or consultant of its institution (an IMOZ consult
	 * has one once an SO took it), or a huisarts of the asking huisarts's practice; never
	 * the programme office. Inviting twice changes nothing.
	 */
	Mono<ConsultView> invite(CurrentUser user, UUID id, String inviteeId, String reason) {
		Instant now = now();
		Mono<Consult> change = visibleForChange(user, id).flatMap((consult) -> {
			if (!consult.isParty(user.userId())) {
				return Mono.error(new ApiException(ErrorCode.CONSULT_NOT_A_PARTY, "Only a party invites"));
			}
			if (consult.state().isFinal()) {
				return Mono.error(invalidState(consult, "invite into"));
			}
			return this.directory.practitioner(inviteeId)
				.switchIfEmpty(Mono.error(() -> new ApiException(ErrorCode.UNKNOWN_CONSULTANT,
						"No practitioner '" + inviteeId + "' known here")))
				.flatMap((invitee) -> inCareTeam(consult, invitee))
				.flatMap((invitee) -> this.consults.invite(id, inviteeId, user.userId(), now, reason))
				.flatMap((added) -> added ? record(user, consult, AuditAction.INVITED, inviteeId).thenReturn(consult)
						: Mono.just(consult));
		});
		return inTransaction(change).flatMap((consult) -> this.views.view(consult, user)
			.doOnNext((view) -> this.events.publish(ConsultEvents.INVITED, view, List.of(inviteeId))));
	}

	private Mono<Directory.Practitioner> inCareTeam(Consult consult, Directory.Practitioner invitee) {
		Discipline discipline = invitee.discipline();
		if (discipline == null) {
			return Mono.error(notInCareTeam("Only care staff are invited into a consult, never the programme office"));
		}
		if (discipline == Discipline.HUISARTS) {
			if (consult.kind() != ConsultKind.IMOZ) {
				return Mono.error(notInCareTeam("A huisarts is invited only into a huisarts's IMOZ consult"));
			}
			return this.consults.samePractice(consult.requestedBy(), invitee.userId())
				.flatMap((same) -> same ? Mono.just(invitee)
						: Mono.error(notInCareTeam("Only a huisarts of the asking huisarts's practice is invited")));
		}
		if (consult.institutionId() == null) {
			return Mono.error(notInCareTeam(
					"Nurses and consultants are invited once an SO took the consult: they must be of her institution"));
		}
		if (!consult.institutionId().equals(invitee.institutionId())) {
			return Mono.error(notInCareTeam("Only a nurse or consultant of the consult's institution is invited"));
		}
		return Mono.just(invitee);
	}

	private static ApiException notInCareTeam(String message) {
		return new ApiException(ErrorCode.CONSULT_INVITEE_NOT_ALLOWED, message);
	}

	Mono<ConsultView> end(CurrentUser user, UUID id) {
		Instant now = now();
		Mono<Consult> change = visibleForChange(user, id).flatMap((consult) -> {
			if (!consult.isParty(user.userId())) {
				return Mono.error(new ApiException(ErrorCode.CONSULT_NOT_A_PARTY, "Only a party can end the consult"));
			}
			if (consult.state() == ConsultState.ENDED) {
				// A retry after a lost response, or the other party ended it first.
				return Mono.just(consult);
			}
			return this.consults.finish(consult, ConsultState.ACTIVE, ConsultState.ENDED, now)
				.flatMap((done) -> done
						? record(user, consult, AuditAction.ENDED, null)
							.then((consult.connectedAt() == null) ? this.ledger.recordLoss(id, now) : Mono.empty())
							.then(Mono.defer(() -> this.ledger.recordEnd(id)))
						: this.consults.findById(id).flatMap((latest) -> Mono.error(invalidState(latest, "end"))))
				.then(this.consults.findById(id));
		});
		// A recording stops before the room closes, so every peer hears that it stopped.
		return inTransaction(change).flatMap((consult) -> this.recordings.consultEnded(id).thenReturn(consult))
			.flatMap((consult) -> {
				this.signalling.closeRoom(id.toString());
				return this.views.view(consult, user)
					.doOnNext((view) -> this.events.publish(ConsultEvents.ENDED, view,
							List.of(consult.requestedBy(), Objects.requireNonNull(consult.consultantId()))))
					// A call-back still ringing on the ward's glasses stops.
					.flatMap((view) -> this.scheduler.run(this.consults.callBack(id))
						.doOnNext((callBack) -> this.callBacks.publish(ConsultEvents.ENDED, view, callBack.originId()))
						.thenReturn(view));
			});
	}

	private Mono<Routing> validate(CurrentUser user, StartConsultRequest request) {
		if (ClientRefs.looksLikeBsn(request.clientRef())) {
			return Mono.error(new ApiException(ErrorCode.CLIENT_REF_LOOKS_LIKE_BSN,
					"clientRef looks like a BSN; use the pseudonymous client reference of your care record",
					"clientRef", FieldErrorCode.CLIENT_REF_LOOKS_LIKE_BSN));
		}
		boolean imoz = request.kind() == ConsultKind.IMOZ;
		if (request.scheduledAt() != null && !imoz) {
			return Mono.error(new ApiException(ErrorCode.REQUEST_INVALID,
					"scheduledAt books a video IMOZ consult ahead; other consults ring now", "scheduledAt",
					FieldErrorCode.SCHEDULED_AT_ONLY_IMOZ));
		}
		if (imoz != (user.discipline() == Discipline.HUISARTS)) {
			return Mono.error(new ApiException(ErrorCode.KIND_NOT_ALLOWED,
					"A huisarts starts IMOZ consults (video with an SO; written questions at POST"
							+ " /api/v1/imoz/questions); staff of an institution start BEDSIDE, ANW or EXPERT consults"));
		}
		if (imoz && request.homeArea() == null) {
			return Mono.error(new ApiException(ErrorCode.REQUEST_INVALID,
					"homeArea (the patient's 4-digit postcode area) is required for IMOZ consults", "homeArea",
					FieldErrorCode.REQUIRED));
		}
		if (imoz && request.scheduledAt() != null) {
			Instant at = request.scheduledAt();
			Instant now = now();
			if (at.isBefore(now.plus(MIN_AHEAD)) || at.isAfter(now.plus(MAX_AHEAD))) {
				return Mono.error(new ApiException(ErrorCode.REQUEST_INVALID,
						"scheduledAt must be between a minute and 90 days ahead; leave it out to ring now",
						"scheduledAt", FieldErrorCode.SCHEDULED_AT_OUT_OF_RANGE));
			}
			return this.scheduler.run(this.routing.scheduledImoz(request.consultantId()))
				.map((plan) -> new Routing(null, Discipline.SO, plan));
		}
		if (imoz) {
			return this.scheduler
				.run(this.routing.imoz(user,
						request.requestedDiscipline() != null ? request.requestedDiscipline() : Discipline.SO))
				.map((plan) -> new Routing(null, Discipline.SO, plan));
		}
		if (user.discipline() == null || user.institutionId() == null) {
			return Mono.error(new ApiException(ErrorCode.KIND_NOT_ALLOWED,
					"Video IMOZ consults are not available yet; a huisarts asks an SO in writing with"
							+ " POST /api/v1/imoz/questions. Staff of an institution start BEDSIDE, ANW or EXPERT consults"));
		}
		if (request.kind() == ConsultKind.EXPERT && !user.isConsultant()) {
			return Mono.error(new ApiException(ErrorCode.KIND_NOT_ALLOWED, "Only consultants ask an expert"));
		}
		Discipline discipline = (request.requestedDiscipline() != null) ? request.requestedDiscipline() : Discipline.SO;
		if (!discipline.isConsultant()) {
			return Mono.error(new ApiException(ErrorCode.REQUEST_INVALID,
					"requestedDiscipline must be one of SO, BA, VS, PA, GZP", "requestedDiscipline",
					FieldErrorCode.DISCIPLINE_NOT_CONSULTANT));
		}
		String institution = user.institutionId();
		Mono<@Nullable Location> location = (request.locationId() == null)
				? ((request.kind() == ConsultKind.BEDSIDE || request.kind() == ConsultKind.ANW)
						? Mono.error(new ApiException(ErrorCode.REQUEST_INVALID,
								"locationId is required for " + request.kind() + " consults", "locationId",
								FieldErrorCode.REQUIRED))
						: Mono.empty())
				: this.scheduler.run(this.directory.location(request.locationId()))
					.filter((found) -> found.institutionId().equals(institution))
					.switchIfEmpty(Mono.error(new ApiException(
							ErrorCode.UNKNOWN_LOCATION, "No location '" + request.locationId()
									+ "' in your institution; GET /api/v1/locations" + " lists them",
							"locationId", FieldErrorCode.UNKNOWN_LOCATION)));
		return location.map(Optional::of)
			.defaultIfEmpty(Optional.empty())
			.flatMap((found) -> this.scheduler
				.run(this.routing.plan(user, request, discipline, found.orElse(null), now()))
				.map((plan) -> new Routing(found.map(Location::id).orElse(null), discipline, plan)));
	}

	private Mono<Started> create(CurrentUser user, StartConsultRequest request, Routing routing,
			@Nullable String idempotencyKey, String requestHash) {
		Instant now = now();
		Instant scheduledAt = request.scheduledAt();
		boolean scheduled = scheduledAt != null;
		Consult consult = new Consult(UUID.randomUUID(), request.kind(),
				scheduled ? ConsultState.SCHEDULED : ConsultState.RINGING, 0, user.institutionId(),
				routing.locationId(), request.clientRef(), request.question(), request.urgency(), routing.discipline(),
				user.userId(), Objects.requireNonNull(user.discipline()), null, null, idempotencyKey, requestHash, now,
				null, null, null, 0, scheduled ? scheduledAt : now.plus(this.escalation.ringTimeout(request.urgency())),
				request.expertise(), scheduledAt);
		List<List<Router.Candidate>> stages = routing.plan().stages();
		// A booked consult rings nobody yet; whom it will ring may see it meanwhile.
		List<Router.Candidate> booked = (scheduled && !stages.isEmpty()) ? stages.get(0) : List.of();
		List<Router.Candidate> first = scheduled ? List.of() : stages.get(0);
		Mono<Void> write = this.consults.insert(consult)
			.then((request.homeArea() != null) ? this.consults.setHomeArea(consult.id(), request.homeArea())
					: Mono.empty())
			.then(record(user, consult, AuditAction.CREATED, request.kind() + " " + request.urgency()))
			.thenMany(Flux.range(0, stages.size())
				.concatMap((stage) -> Flux.fromIterable(stages.get(stage))
					.concatMap((c) -> this.consults.insertPlan(consult.id(), stage, c.userId(), c.discipline()))))
			.thenMany(Flux.fromIterable(first)
				.concatMap((c) -> this.consults.insertRing(consult.id(), c.userId(), c.discipline(), now)
					.then(this.audit.append(new AuditTrail.Entry(c.userId(), null, consult.institutionId(),
							consult.id(), AuditAction.RUNG, null)))))
			.thenMany(Flux.fromIterable(booked)
				.concatMap((c) -> this.consults.invite(consult.id(), c.userId(), user.userId(), now,
						"booked for a video IMOZ consult")))
			.then();
		return inTransaction(write.thenReturn(consult)).flatMap((created) -> this.views.view(created, user))
			.map((view) -> {
				List<String> rung = first.stream().map(Router.Candidate::userId).toList();
				this.events.publish(ConsultEvents.RINGING, view, rung);
				this.notifier.ring(view, rung);
				this.events.publish(ConsultEvents.SCHEDULED, view,
						booked.stream().map(Router.Candidate::userId).toList());
				return new Started(view, true);
			});
	}

	private Mono<Started> replay(CurrentUser user, Consult existing, String requestHash) {
		if (!requestHash.equals(existing.requestHash())) {
			return Mono.error(new ApiException(ErrorCode.IDEMPOTENCY_KEY_REUSED,
					"This Idempotency-Key was used for a different consult request"));
		}
		return this.views.view(existing, user).map((view) -> new Started(view, false));
	}

	/**
	 * The consult if the caller may read it: a party (requester, the consultant who took
	 * it); a consultant it rings now, or who joined after an escalation; someone invited,
	 * until it ends; a nurse or ADMIN of its institution (not for a huisarts's IMOZ
	 * consult). A consultant who was only rung loses sight of it once the ring is over;
	 * the programme office, other institutions and other practices never see it.
	 */
	private Mono<Consult> visible(CurrentUser user, UUID id) {
		Mono<Consult> found = this.scheduler.run(this.consults.findById(id).filterWhen((consult) -> {
			if (consult.isParty(user.userId()) || staffOf(user, consult)) {
				return Mono.just(true);
			}
			Mono<Boolean> invited = consult.state().isFinal() ? Mono.just(false)
					: this.consults.isInvited(id, user.userId());
			return this.consults.rings(id)
				.any((ring) -> ring.userId().equals(user.userId()) && (ring.state() == Ring.RingState.ACCEPTED
						|| (ring.state() == Ring.RingState.RINGING && !consult.state().isFinal())))
				.flatMap((rung) -> rung ? Mono.just(true) : invited);
		}));
		return found.switchIfEmpty(Mono
			.error(() -> new ApiException(ErrorCode.CONSULT_NOT_FOUND, "No consult " + id + " that you can see")));
	}

	/**
	 * The institution's own care staff who are not consultants (its nurses) and its ADMIN
	 * read its consults; a huisarts's IMOZ consult is not the institution's client.
	 */
	private static boolean staffOf(CurrentUser user, Consult consult) {
		return consult.kind() != ConsultKind.IMOZ && user.institutionId() != null
				&& user.institutionId().equals(consult.institutionId())
				&& (user.discipline() == Discipline.NURSE || user.hasRole(CurrentUser.ADMIN));
	}

	/**
	 * Like {@link #visible}, locking the consult's row for the rest of the transaction.
	 */
	private Mono<Consult> visibleForChange(CurrentUser user, UUID id) {
		return visibleAmong(user, id, this.consults.lock(id));
	}

	private Mono<Consult> visibleAmong(CurrentUser user, UUID id, Mono<Consult> lookup) {
		Mono<Consult> found = this.scheduler.run(lookup.filterWhen((consult) -> (consult.isParty(user.userId())
				|| (user.discipline() != null && user.institutionId() != null
						&& user.institutionId().equals(consult.institutionId()))) ? Mono.just(true) : this.consults
							.rings(id)
							.any((ring) -> ring.userId().equals(user.userId()))
							.flatMap((rung) -> rung ? Mono.just(true) : this.consults.isInvited(id, user.userId()))));
		return found.switchIfEmpty(Mono
			.error(() -> new ApiException(ErrorCode.CONSULT_NOT_FOUND, "No consult " + id + " that you can see")));
	}

	private Mono<Ring> ringOf(Consult consult, CurrentUser user) {
		return this.consults.rings(consult.id())
			.filter((ring) -> ring.userId().equals(user.userId()))
			.next()
			.switchIfEmpty(Mono.error(() -> (consult.state() == ConsultState.RINGING)
					? new ApiException(ErrorCode.CONSULT_NOT_RINGING_FOR_YOU, "This consult does not ring for you")
					: notRinging(consult)));
	}

	private Mono<Void> record(CurrentUser user, Consult consult, AuditAction action, @Nullable String detail) {
		return this.audit
			.append(new AuditTrail.Entry(user.userId(), null, consult.institutionId(), consult.id(), action, detail))
			.then();
	}

	private <T> Mono<T> inTransaction(Mono<T> work) {
		return this.scheduler.run(this.tx.transactional(work));
	}

	private static ApiException notRinging(Consult consult) {
		if (consult.consultantId() != null) {
			return new ApiException(ErrorCode.CONSULT_ALREADY_ACCEPTED, "Another consultant accepted this consult");
		}
		return invalidState(consult, "accept");
	}

	private static ApiException invalidState(Consult consult, String action) {
		return new ApiException(ErrorCode.CONSULT_INVALID_STATE,
				"Cannot " + action + " a consult that is " + consult.state());
	}

	private Instant now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MICROS);
	}

	private static String hash(StartConsultRequest request) {
		String canonical = String.join("|", String.valueOf(request.kind()), String.valueOf(request.locationId()),
				request.clientRef(), String.valueOf(request.question()), String.valueOf(request.urgency()),
				String.valueOf(request.requestedDiscipline()), String.valueOf(request.consultantId()),
				String.valueOf(request.expertise()), String.valueOf(request.homeArea()));
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * @param view the consult
	 * @param created whether it was created by this request
	 */
	record Started(ConsultView view, boolean created) {
	}

	private record Routing(@Nullable String locationId, Discipline discipline, Router.RingPlan plan) {
	}

	private record Finished(Consult consult, List<String> recipients) {
	}

}
