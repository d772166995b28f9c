package nl.beeldzorg.imoz;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import nl.beeldzorg.audit.AuditAction;
import nl.beeldzorg.audit.AuditTrail;
import nl.beeldzorg.consult.ClientRefs;
import nl.beeldzorg.security.CurrentUser;
import nl.beeldzorg.security.Discipline;
import nl.beeldzorg.system.ApiException;
import nl.beeldzorg.system.BeeldzorgProperties;
import nl.beeldzorg.system.DatabaseScheduler;
import nl.beeldzorg.system.ErrorCode;
import nl.beeldzorg.system.FieldErrorCode;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * Written IMOZ questions from question to answer. Scoping: a huisarts sees only their own
 * practice's questions; SOs see the open ones and those they took.
 */
@Service
class ImozService {

	private final ImozRepository questions;

	private final AuditTrail audit;

	private final TransactionalOperator tx;

	private final DatabaseScheduler scheduler;

	private final Clock clock;

	private final BeeldzorgProperties.Imoz settings;

	private final ImozEvents events;

	ImozService(ImozRepository questions, AuditTrail audit, TransactionalOperator tx, DatabaseScheduler scheduler,
			Clock clock, BeeldzorgProperties properties, ImozEvents events) {
		this.events = events;
		this.questions = questions;
		this.audit = audit;
		this.tx = tx;
		this.scheduler = scheduler;
		this.clock = clock;
		this.settings = properties.imoz();
	}

	Mono<ImozQuestion> ask(CurrentUser user, ImozRequests.Ask ask, @Nullable String idempotencyKey) {
		if (user.discipline() != Discipline.HUISARTS || user.practiceId() == null) {
			return Mono.error(new ApiException(ErrorCode.KIND_NOT_ALLOWED,
					"Only a huisarts (with a practice claim) asks IMOZ questions"));
		}
		if (ClientRefs.looksLikeBsn(ask.clientRef())) {
			return Mono.error(new ApiException(ErrorCode.CLIENT_REF_LOOKS_LIKE_BSN,
					"clientRef looks like a BSN; use the pseudonymous reference of your record", "clientRef",
					FieldErrorCode.CLIENT_REF_LOOKS_LIKE_BSN));
		}
		Instant now = now();
		ImozQuestion question = new ImozQuestion(UUID.randomUUID(), ImozQuestion.State.OPEN, 0,
				Objects.requireNonNull(user.practiceId()), user.userId(), ask.clientRef(), ask.homeArea(),
				ask.question(), now.plus(Duration.ofDays(this.settings.answerWithinDays())), null, null, null, null,
				null, null, now, null);
		Mono<ImozQuestion> create = inTransaction(this.questions.insert(question, idempotencyKey)
			.then(record(user, question.id(), null, AuditAction.CREATED, "IMOZ written question"))
			.thenReturn(question)).flatMap((q) -> told(ImozEvents.CREATED, q));
		if (idempotencyKey == null) {
			return create;
		}
		Mono<ImozQuestion> earlier = this.scheduler
			.run(this.questions.findByIdempotencyKey(user.userId(), idempotencyKey));
		return earlier.switchIfEmpty(create.onErrorResume(DataIntegrityViolationException.class, (ex) -> earlier));
	}

	Flux<ImozQuestion> list(CurrentUser user) {
		if (user.discipline() == Discipline.HUISARTS && user.practiceId() != null) {
			return this.scheduler.run(this.questions.ofPractice(user.practiceId()));
		}
		if (user.discipline() == Discipline.SO) {
			return this.scheduler.run(this.questions.forSo(user.userId()));
		}
		return Flux.error(new ApiException(ErrorCode.FORBIDDEN, "IMOZ questions are for huisartsen and SOs"));
	}

	Mono<ImozQuestion> get(CurrentUser user, UUID id) {
		return this.scheduler.run(this.questions.find(id))
			.filter((q) -> visible(user, q))
			.switchIfEmpty(Mono.error(() -> new ApiException(ErrorCode.CONSULT_NOT_FOUND,
					"No IMOZ question " + id + " that you can see")));
	}

	Mono<ImozQuestion> claim(CurrentUser user, UUID id) {
		Instant now = now();
		return so(user).then(get(user, id)).flatMap((q) -> {
			if (q.state() == ImozQuestion.State.CLAIMED && user.userId().equals(q.claimedBy())) {
				return Mono.just(q);
			}
			if (q.state() != ImozQuestion.State.OPEN) {
				return Mono.error(taken(q));
			}
			return inTransaction(this.questions.claim(q, user.userId(), now)
				.flatMap((won) -> won ? record(user, id, user.institutionId(), AuditAction.ACCEPTED, null)
						: Mono.error(
								new ApiException(ErrorCode.CONSULT_ALREADY_ACCEPTED, "Another SO took this question")))
				.then(this.questions.find(id))).flatMap((claimed) -> told(ImozEvents.CLAIMED, claimed));
		});
	}

	Mono<ImozQuestion> answer(CurrentUser user, UUID id, ImozRequests.Answer answer) {
		if (!this.settings.billingCodes().containsKey(answer.billingCode())) {
			return Mono.error(new ApiException(ErrorCode.REQUEST_INVALID,
					"billingCode must be one of " + this.settings.billingCodes().keySet(), "billingCode",
					FieldErrorCode.UNKNOWN_BILLING_CODE));
		}
		Instant now = now();
		return claim(user, id).flatMap((q) -> {
			if (q.state() == ImozQuestion.State.ANSWERED) {
				return Mono.just(q);
			}
			return inTransaction(this.questions
				.answer(q, user.userId(), Objects.requireNonNull(user.institutionId()), answer.answer(),
						answer.billingCode(), now)
				.flatMap((done) -> done
						? record(user, id, user.institutionId(), AuditAction.ANSWERED, answer.billingCode())
						: Mono.error(new ApiException(ErrorCode.CONSULT_INVALID_STATE, "The question moved on")))
				.then(this.questions.find(id))).flatMap((answered) -> told(ImozEvents.ANSWERED, answered));
		});
	}

	Mono<ImozQuestion> withdraw(CurrentUser user, UUID id) {
		Instant now = now();
		return get(user, id).flatMap((q) -> {
			if (!q.askedBy().equals(user.userId())) {
				return Mono
					.error(new ApiException(ErrorCode.CONSULT_NOT_A_PARTY, "Only the asking huisarts withdraws"));
			}
			if (q.state() == ImozQuestion.State.WITHDRAWN) {
				return Mono.just(q);
			}
			return inTransaction(this.questions.withdraw(q, now)
				.flatMap((done) -> done ? record(user, id, null, AuditAction.CANCELLED, null)
						: Mono.error(new ApiException(ErrorCode.CONSULT_INVALID_STATE,
								"Cannot withdraw a question that is " + q.state())))
				.then(this.questions.find(id))).flatMap((withdrawn) -> told(ImozEvents.WITHDRAWN, withdrawn));
		});
	}

	/**
	 * The asking huisarts adds a photo while the question waits for its answer. The same
	 * bytes twice give the photo stored the first time ({@code added} false).
	 */
	Mono<AddedPhoto> addPhoto(CurrentUser user, UUID id, String contentType, byte[] bytes) {
		@Nullable String unreadable = ImageKinds.looksLike(contentType, bytes) ? ImageStructure.problem(contentType, bytes)
				: "it does not begin like one";
		if (unreadable != null) {
			return Mono.error(new ApiException(ErrorCode.PHOTO_NOT_AN_IMAGE,
					"The body is not a whole " + contentType + " image: " + unreadable));
		}
		String sha256 = ImageKinds.sha256(bytes);
		Instant now = now();
		return get(user, id).flatMap((q) -> {
			if (!q.askedBy().equals(user.userId())) {
				return Mono
					.error(new ApiException(ErrorCode.CONSULT_NOT_A_PARTY, "Only the asking huisarts adds photos"));
			}
			Mono<AddedPhoto> earlier = this.scheduler.run(this.questions.photoBySha(id, sha256))
				.map((p) -> new AddedPhoto(p, false));
			ImozPhoto photo = new ImozPhoto(UUID.randomUUID(), id, contentType, bytes.length, sha256, user.userId(),
					now);
			Mono<AddedPhoto> add = inTransaction(this.questions.lockForPhoto(id)
				.flatMap((locked) -> checkPhotoAllowed(locked))
				.then(this.questions.insertPhoto(photo, bytes))
				.then(record(user, id, null, AuditAction.PHOTO_ADDED, sha256))
				.thenReturn(new AddedPhoto(photo, true)))
				.flatMap((added) -> told(ImozEvents.UPDATED, q).thenReturn(added));
			return earlier.switchIfEmpty(add.onErrorResume(DataIntegrityViolationException.class, (ex) -> earlier));
		});
	}

	private Mono<Void> checkPhotoAllowed(ImozRepository.PhotoSlot slot) {
		if (slot.state() != ImozQuestion.State.OPEN && slot.state() != ImozQuestion.State.CLAIMED) {
			return Mono.error(new ApiException(ErrorCode.CONSULT_INVALID_STATE,
					"Photos are added before the answer; the question is " + slot.state()));
		}
		if (slot.photos() >= this.settings.photosPerQuestion()) {
			return Mono.error(new ApiException(ErrorCode.IMOZ_PHOTO_LIMIT,
					"A question carries at most " + this.settings.photosPerQuestion() + " photos"));
		}
		return Mono.empty();
	}

	/** A photo of a question the user may see. */
	Mono<ImozRepository.Photo> photo(CurrentUser user, UUID id, UUID photoId) {
		return get(user, id).flatMap((q) -> this.scheduler.run(this.questions.photoBytes(id, photoId)))
			.switchIfEmpty(Mono.error(() -> new ApiException(ErrorCode.CONSULT_NOT_FOUND,
					"No photo " + photoId + " with a question you can see")));
	}

	long photoMaxBytes() {
		return this.settings.photoMaxSize().toBytes();
	}

	/**
	 * @param photo the stored photo
	 * @param added false when the same bytes were stored before
	 */
	record AddedPhoto(ImozPhoto photo, boolean added) {
	}

	/**
	 * Answered questions of a period for declaration: an ADMIN gets their institution's,
	 * the programme all.
	 */
	Flux<ImozRepository.Declaration> billing(CurrentUser user, Instant from, Instant to) {
		String institution;
		if (user.hasRole(CurrentUser.PROGRAMME)) {
			institution = null;
		}
		else if (user.hasRole(CurrentUser.ADMIN) && user.institutionId() != null) {
			institution = user.institutionId();
		}
		else {
			return Flux.error(new ApiException(ErrorCode.FORBIDDEN, "The billing export is for ADMIN and PROGRAMME"));
		}
		return this.scheduler
			.run(Flux.concat(this.questions.answeredBetween(from, to, institution).map(ImozRepository.Declaration::of),
					this.questions.videoDeclarations(from, to, institution)));
	}

	/**
	 * The consultant of an ended video IMOZ consult records its billing code.
	 */
	Mono<Map<String, Object>> billVideoConsult(CurrentUser user, UUID consultId, String billingCode) {
		if (!this.settings.billingCodes().containsKey(billingCode)) {
			return Mono.error(new ApiException(ErrorCode.REQUEST_INVALID,
					"billingCode must be one of " + this.settings.billingCodes().keySet(), "billingCode",
					FieldErrorCode.UNKNOWN_BILLING_CODE));
		}
		return inTransaction(this.questions.billVideoConsult(consultId, user.userId(), billingCode)
			.flatMap((done) -> done
					? record(user, consultId, user.institutionId(), AuditAction.ANSWERED, billingCode)
						.thenReturn(Map.<String, Object>of("consultId", consultId, "billingCode", billingCode))
					: Mono.error(new ApiException(ErrorCode.CONSULT_INVALID_STATE,
							"Only the consultant of an ended IMOZ consult records its billing code"))));
	}

	Mono<Map<String, Object>> homeArea(CurrentUser user, String code, ImozRequests.HomeArea area) {
		// A centre values every institution's home visits, so no one institution's ADMIN
		// moves it: the programme office keeps the region's postcode areas.
		if (!user.hasRole(CurrentUser.PROGRAMME)) {
			return Mono.error(new ApiException(ErrorCode.FORBIDDEN, "Only the programme office keeps postcode areas"));
		}
		if (!code.matches("[1-9][0-9]{3}")) {
			return Mono.error(new ApiException(ErrorCode.REQUEST_INVALID, "A postcode area is 4 digits, e.g. 7331",
					"homeArea", FieldErrorCode.FORMAT));
		}
		return inTransaction(this.questions.homeArea(code, area.latitude(), area.longitude()))
			.thenReturn(Map.of("code", code, "latitude", area.latitude(), "longitude", area.longitude()));
	}

	String billingDescription(@Nullable String code) {
		return (code != null) ? this.settings.billingCodes().getOrDefault(code, "") : "";
	}

	java.util.Map<String, String> billingCodes() {
		return this.settings.billingCodes();
	}

	Instant now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MICROS);
	}

	private static boolean visible(CurrentUser user, ImozQuestion q) {
		if (user.discipline() == Discipline.HUISARTS) {
			return q.practiceId().equals(user.practiceId());
		}
		return user.discipline() == Discipline.SO
				&& (q.state() == ImozQuestion.State.OPEN || user.userId().equals(q.claimedBy()));
	}

	private static Mono<Void> so(CurrentUser user) {
		return (user.discipline() == Discipline.SO && user.institutionId() != null) ? Mono.empty()
				: Mono.error(new ApiException(ErrorCode.NOT_A_CONSULTANT, "Only an SO answers IMOZ questions"));
	}

	private static ApiException taken(ImozQuestion q) {
		return (q.state() == ImozQuestion.State.CLAIMED || q.state() == ImozQuestion.State.ANSWERED)
				? new ApiException(ErrorCode.CONSULT_ALREADY_ACCEPTED, "Another SO took this question")
				: new ApiException(ErrorCode.CONSULT_INVALID_STATE, "The question is " + q.state());
	}

	/** After the change is committed: the open apps hear of it. */
	private Mono<ImozQuestion> told(String event, ImozQuestion q) {
		return this.events.publish(event, q).thenReturn(q);
	}

	private Mono<Void> record(CurrentUser user, UUID id, @Nullable String institution, AuditAction action,
			@Nullable String detail) {
		return this.audit.append(new AuditTrail.Entry(user.userId(), null, institution, id, action, detail)).then();
	}

	private <T> Mono<T> inTransaction(Mono<T> work) {
		return this.scheduler.run(this.tx.transactional(work));
	}

}
