package nl.beeldzorg.imoz;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.validation.Valid;
import nl.beeldzorg.audit.AccessLog;
import nl.beeldzorg.security.CurrentUsers;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import nl.beeldzorg.system.ApiException;
import nl.beeldzorg.system.ErrorCode;
import nl.beeldzorg.system.FieldErrorCode;
import nl.beeldzorg.system.SafeCsv;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Written IMOZ questions: {@code OPEN} (asked) → {@code CLAIMED} (an SO took it) →
 * {@code ANSWERED}; or {@code WITHDRAWN} by the huisarts before the answer.
 * {@code overdue} when the agreed days passed without an answer. The billing export lists
 * the answered ones of a period with their codes, for declaration.
 */
@RestController
@RequestMapping("/api/v1/imoz")
class ImozController {

	private static final ZoneId PERIOD_ZONE = ZoneId.of("Europe/Amsterdam");

	/** The longest period one billing export covers (a year, leap day included). */
	static final int MAX_BILLING_DAYS = 366;

	/** The first year a billing period may name. */
	static final int FIRST_BILLING_YEAR = 2000;

	/** The last year a billing period may name. */
	static final int LAST_BILLING_YEAR = 2999;

	private final ImozService service;

	private final ImozViews views;

	private final CurrentUsers users;

	private final AccessLog access;

	ImozController(ImozService service, ImozViews views, CurrentUsers users, AccessLog access) {
		this.access = access;
		this.service = service;
		this.views = views;
		this.users = users;
	}

	@PostMapping("/questions")
	Mono<ResponseEntity<View>> ask(@Valid @RequestBody ImozRequests.Ask ask,
			@RequestHeader(name = "Idempotency-Key", required = false) @Nullable String idempotencyKey) {
		return this.users.current()
			.flatMap((user) -> this.service.ask(user, ask, idempotencyKey))
			.flatMap(this::view)
			.map((v) -> ResponseEntity.created(java.net.URI.create("/api/v1/imoz/questions/" + v.id())).body(v));
	}

	@GetMapping("/questions")
	Flux<View> list() {
		return this.users.current().flatMapMany(this.service::list).collectList().flatMapMany(this.views::views);
	}

	@GetMapping("/questions/{id}")
	Mono<View> get(@PathVariable UUID id) {
		return this.users.current()
			.flatMap((user) -> this.service.get(user, id)
				.flatMap((q) -> this.access.read(user, q.answeredByInstitution(), q.id(), "imoz.question")
					.thenReturn(q)))
			.flatMap(this::view);
	}

	@PostMapping("/questions/{id}/claim")
	Mono<View> claim(@PathVariable UUID id) {
		return this.users.current().flatMap((user) -> this.service.claim(user, id)).flatMap(this::view);
	}

	@PostMapping("/questions/{id}/answer")
	Mono<View> answer(@PathVariable UUID id, @Valid @RequestBody ImozRequests.Answer answer) {
		return this.users.current().flatMap((user) -> this.service.answer(user, id, answer)).flatMap(this::view);
	}

	@PostMapping("/questions/{id}/withdraw")
	Mono<View> withdraw(@PathVariable UUID id) {
		return this.users.current().flatMap((user) -> this.service.withdraw(user, id)).flatMap(this::view);
	}

	/**
	 * The asking huisarts adds a photo (the raw JPEG or PNG as the body, at most
	 * {@code beeldzorg.imoz.photo-max-size}) while the question waits for its answer. 201
	 * with the photo; the same bytes again answer 200 with the photo stored the first
	 * time. A body over the limit is refused with {@code request.too-large}; see
	 * {@link PhotoUploads} for how the rest of such a body is handled.
	 */
	@PostMapping("/questions/{id}/photos")
	Mono<ResponseEntity<ImozPhoto.View>> addPhoto(@PathVariable UUID id, ServerHttpRequest request,
			ServerHttpResponse response) {
		MediaType type = request.getHeaders().getContentType();
		String contentType = (type != null) ? type.getType() + "/" + type.getSubtype() : "";
		if (!ImageKinds.ACCEPTED.contains(contentType)) {
			return Mono.error(new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
					"A photo is sent as its raw bytes with Content-Type image/jpeg or image/png"));
		}
		long max = this.service.photoMaxBytes();
		long declared = request.getHeaders().getContentLength();
		if (declared > max && !PhotoUploads.swallows(declared, max)) {
			return Mono.error(tooLarge(response, max, false));
		}
		return this.users.current()
			.flatMap((user) -> PhotoUploads.read(request.getBody(), max)
				.onErrorMap(PhotoUploads.TooLarge.class, (ex) -> tooLarge(response, max, ex.drained()))
				.flatMap((bytes) -> this.service.addPhoto(user, id, contentType, bytes)))
			.map((added) -> (added.added() ? ResponseEntity.created(java.net.URI.create(added.photo().view().href()))
					: ResponseEntity.ok())
				.body(added.photo().view()));
	}

	/**
	 * A photo of a question the user may see; never cached outside the user's browser
	 * session.
	 */
	@GetMapping("/questions/{id}/photos/{photoId}")
	Mono<ResponseEntity<byte[]>> photo(@PathVariable UUID id, @PathVariable UUID photoId) {
		return this.users.current()
			.flatMap((user) -> this.service.photo(user, id, photoId)
				.flatMap((photo) -> this.access.read(user, user.institutionId(), id, "imoz.photo " + photoId)
					.thenReturn(photo)))
			.map((photo) -> ResponseEntity.ok()
				.contentType(MediaType.parseMediaType(photo.contentType()))
				.cacheControl(CacheControl.noStore().cachePrivate())
				.eTag("\"" + photo.sha256() + "\"")
				.header("X-Content-Type-Options", "nosniff")
				.header(HttpHeaders.CONTENT_DISPOSITION,
						"inline; filename=\"imoz-" + photoId
								+ (ImageKinds.PNG.equals(photo.contentType()) ? ".png\"" : ".jpg\""))
				.body(photo.bytes()));
	}

	private static ApiException tooLarge(ServerHttpResponse response, long max, boolean drained) {
		if (!drained) {
			response.getHeaders().setConnection("close");
		}
		return new ApiException(ErrorCode.REQUEST_TOO_LARGE, "A photo may be at most "
				+ ((max >= 1048576) ? (max / 1048576) + " MB" : (max / 1024) + " KB") + "; send a smaller JPEG");
	}

	/**
	 * The centre of a postcode area, for the travel an SO's home visit would take
	 * (PROGRAMME: it values every institution's home visits).
	 */
	@org.springframework.web.bind.annotation.PutMapping("/home-areas/{code}")
	Mono<Map<String, Object>> homeArea(@PathVariable String code, @Valid @RequestBody ImozRequests.HomeArea area) {
		return this.users.current().flatMap((user) -> this.service.homeArea(user, code, area));
	}

	@GetMapping("/billing-codes")
	Map<String, String> billingCodes() {
		return this.service.billingCodes();
	}

	/**
	 * CSV of the answered questions of a period (dates inclusive, Dutch time), at most
	 * {@value #MAX_BILLING_DAYS} days.
	 */
	@GetMapping(path = "/billing", produces = "text/csv")
	Mono<ResponseEntity<String>> billing(@RequestParam String from, @RequestParam String to) {
		LocalDate first = billingDate("from", from);
		LocalDate last = billingDate("to", to);
		if (last.isBefore(first)) {
			throw new ApiException(ErrorCode.REQUEST_INVALID, "'to' must be on or after 'from'", "to",
					FieldErrorCode.ENDS_BEFORE_START);
		}
		if (java.time.temporal.ChronoUnit.DAYS.between(first, last) + 1 > MAX_BILLING_DAYS) {
			throw new ApiException(ErrorCode.REQUEST_INVALID,
					"A billing export covers at most " + MAX_BILLING_DAYS + " days", "to",
					FieldErrorCode.BILLING_PERIOD_TOO_LONG);
		}
		Instant start = first.atStartOfDay(PERIOD_ZONE).toInstant();
		Instant end = last.plusDays(1).atStartOfDay(PERIOD_ZONE).toInstant();
		return this.users.current()
			.flatMap((user) -> this.service.billing(user, start, end)
				.collectList()
				.flatMap((rows) -> this.access
					.listed(user, user.institutionId(), rows.stream().map(ImozRepository.Declaration::id).toList(),
							"imoz.billing " + from + ".." + to)
					.thenReturn(rows)))
			.map((rows) -> ResponseEntity.ok()
				.contentType(new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8))
				.header(HttpHeaders.CONTENT_DISPOSITION,
						"attachment; filename=\"imoz-declaratie-" + first + "-" + last + ".csv\"")
				.body(csv(rows)));
	}

	/**
	 * A billing period's day: {@code yyyy-mm-dd}, a real date, in the years
	 * {@value #FIRST_BILLING_YEAR} to {@value #LAST_BILLING_YEAR}.
	 */
	static LocalDate billingDate(String field, String text) {
		LocalDate date;
		try {
			date = LocalDate.parse(text.trim(), java.time.format.DateTimeFormatter.ISO_LOCAL_DATE
				.withResolverStyle(java.time.format.ResolverStyle.STRICT));
		}
		catch (java.time.format.DateTimeParseException ex) {
			throw new ApiException(ErrorCode.REQUEST_INVALID,
					"'" + field + "' must be a date written yyyy-mm-dd, such as 2026-07-01", field,
					FieldErrorCode.FORMAT);
		}
		if (date.getYear() < FIRST_BILLING_YEAR || date.getYear() > LAST_BILLING_YEAR) {
			throw new ApiException(ErrorCode.REQUEST_INVALID,
					"'" + field + "' must lie in the years " + FIRST_BILLING_YEAR + " to " + LAST_BILLING_YEAR, field,
					FieldErrorCode.OUT_OF_RANGE);
		}
		return date;
	}

	/**
	 * The consultant of an ended video IMOZ consult declares it.
	 */
	@org.springframework.web.bind.annotation.PutMapping("/consults/{consultId}/billing")
	Mono<Map<String, Object>> billVideoConsult(@PathVariable UUID consultId,
			@Valid @RequestBody ImozRequests.Billing billing) {
		return this.users.current()
			.flatMap((user) -> this.service.billVideoConsult(user, consultId, billing.billingCode()));
	}

	private String csv(List<ImozRepository.Declaration> rows) {
		SafeCsv csv = SafeCsv.withHeader("questionId", "answeredAt", "practiceId", "askedBy", "answeredBy",
				"institutionId", "billingCode", "description", "mode");
		for (ImozRepository.Declaration d : rows) {
			csv.row(d.id(), d.at(), d.practiceId(), d.askedBy(), d.answeredBy(), d.institutionId(), d.billingCode(),
					this.service.billingDescription(d.billingCode()), d.mode());
		}
		return csv.toString();
	}

	private Mono<View> view(ImozQuestion q) {
		return this.views.view(q);
	}

	/**
	 * A written IMOZ question as shown.
	 *
	 * @param id id
	 * @param state OPEN, CLAIMED, ANSWERED or WITHDRAWN
	 * @param practiceId the huisarts's practice
	 * @param askedBy the huisarts
	 * @param clientRef pseudonymous patient reference
	 * @param homeArea the patient's postcode area
	 * @param question the question
	 * @param createdAt asked at
	 * @param dueAt answer agreed by
	 * @param overdue not answered by then
	 * @param answeredBy the SO who took it (the user id; kept for existing clients)
	 * @param answer the answer
	 * @param answeredAt when
	 * @param billingCode declared with
	 * @param photos photos the huisarts added
	 * @param askedByName the huisarts's name, when known
	 * @param claimant the SO who took it, from {@code CLAIMED} on
	 * @param claimedAt when it was taken
	 * @param answerer the SO who answered, once {@code ANSWERED}
	 */
	record View(UUID id, @io.swagger.v3.oas.annotations.media.Schema(
			description = """
					Written IMOZ question states: OPEN (asked; any SO of the region may take it) -> CLAIMED (one SO took \
					it; POST /claim) -> ANSWERED (POST /answer with a billing code); or WITHDRAWN by the huisarts \
					before the answer (POST /withdraw). overdue = not answered within the agreed days.""") ImozQuestion.State state,
			String practiceId, String askedBy, String clientRef, String homeArea, String question, Instant createdAt,
			Instant dueAt, boolean overdue, @Nullable String answeredBy, @Nullable String answer,
			@Nullable Instant answeredAt, @Nullable String billingCode, List<ImozPhoto.View> photos,
			@Nullable String askedByName, @Nullable Person claimant, @Nullable Instant claimedAt,
			@Nullable Person answerer) {
	}

	/**
	 * A practitioner in a question's history.
	 *
	 * @param userId user id
	 * @param name display name, when known
	 */
	record Person(String userId, @Nullable String name) {
	}

}
