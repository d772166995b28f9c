package nl.beeldzorg.imoz;

import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.validation.Valid;
import nl.beeldzorg.security.CurrentUsers;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
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

	private final ImozService service;

	private final CurrentUsers users;

	ImozController(ImozService service, CurrentUsers users) {
		this.service = service;
		this.users = users;
	}

	@PostMapping("/questions")
	Mono<ResponseEntity<View>> ask(@Valid @RequestBody ImozRequests.Ask ask,
			@RequestHeader(name = "Idempotency-Key", required = false) @Nullable String idempotencyKey) {
		return this.users.current()
			.flatMap((user) -> this.service.ask(user, ask, idempotencyKey))
			.map((q) -> ResponseEntity.created(java.net.URI.create("/api/v1/imoz/questions/" + q.id())).body(view(q)));
	}

	@GetMapping("/questions")
	Flux<View> list() {
		return this.users.current().flatMapMany(this.service::list).map(this::view);
	}

	@GetMapping("/questions/{id}")
	Mono<View> get(@PathVariable UUID id) {
		return this.users.current().flatMap((user) -> this.service.get(user, id)).map(this::view);
	}

	@PostMapping("/questions/{id}/claim")
	Mono<View> claim(@PathVariable UUID id) {
		return this.users.current().flatMap((user) -> this.service.claim(user, id)).map(this::view);
	}

	@PostMapping("/questions/{id}/answer")
	Mono<View> answer(@PathVariable UUID id, @Valid @RequestBody ImozRequests.Answer answer) {
		return this.users.current().flatMap((user) -> this.service.answer(user, id, answer)).map(this::view);
	}

	@PostMapping("/questions/{id}/withdraw")
	Mono<View> withdraw(@PathVariable UUID id) {
		return this.users.current().flatMap((user) -> this.service.withdraw(user, id)).map(this::view);
	}

	/**
	 * The centre of a postcode area, for the travel an SO's home visit would take
	 * (ADMIN).
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
	 * CSV of the answered questions of a period (dates inclusive, Dutch time).
	 */
	@GetMapping(path = "/billing", produces = "text/csv")
	Mono<ResponseEntity<String>> billing(@RequestParam LocalDate from, @RequestParam LocalDate to) {
		Instant start = from.atStartOfDay(PERIOD_ZONE).toInstant();
		Instant end = to.plusDays(1).atStartOfDay(PERIOD_ZONE).toInstant();
		return this.users.current()
			.flatMapMany((user) -> this.service.billing(user, start, end))
			.collectList()
			.map((rows) -> ResponseEntity.ok()
				.contentType(new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8))
				.header(HttpHeaders.CONTENT_DISPOSITION,
						"attachment; filename=\"imoz-declaratie-" + from + "-" + to + ".csv\"")
				.body(csv(rows)));
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
		StringWriter out = new StringWriter();
		try (CSVPrinter printer = new CSVPrinter(out,
				CSVFormat.DEFAULT.builder()
					.setHeader("questionId", "answeredAt", "practiceId", "askedBy", "answeredBy", "institutionId",
							"billingCode", "description", "mode")
					.get())) {
			for (ImozRepository.Declaration d : rows) {
				printer.printRecord(d.id(), d.at(), d.practiceId(), d.askedBy(), d.answeredBy(), d.institutionId(),
						d.billingCode(), this.service.billingDescription(d.billingCode()), d.mode());
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("Writing to a string cannot fail", ex);
		}
		return out.toString();
	}

	private View view(ImozQuestion q) {
		return new View(q.id(), q.state(), q.practiceId(), q.askedBy(), q.clientRef(), q.homeArea(), q.question(),
				q.createdAt(), q.dueAt(), q.overdue(this.service.now()), q.claimedBy(), q.answer(), q.answeredAt(),
				q.billingCode());
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
	 * @param answeredBy the SO
	 * @param answer the answer
	 * @param answeredAt when
	 * @param billingCode declared with
	 */
	record View(UUID id, @io.swagger.v3.oas.annotations.media.Schema(
			description = """
					Written IMOZ question states: OPEN (asked; any SO of the region may take it) -> CLAIMED (one SO took \
					it; POST /claim) -> ANSWERED (POST /answer with a billing code); or WITHDRAWN by the huisarts \
					before the answer (POST /withdraw). overdue = not answered within the agreed days.""") ImozQuestion.State state,
			String practiceId, String askedBy, String clientRef, String homeArea, String question, Instant createdAt,
			Instant dueAt, boolean overdue, @Nullable String answeredBy, @Nullable String answer,
			@Nullable Instant answeredAt, @Nullable String billingCode) {
	}

}
