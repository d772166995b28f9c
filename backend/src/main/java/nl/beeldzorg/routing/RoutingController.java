package nl.beeldzorg.routing;

import java.io.IOException;
import java.io.StringReader;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import nl.beeldzorg.directory.Directory;
import nl.beeldzorg.security.CurrentUser;
import nl.beeldzorg.security.CurrentUsers;
import nl.beeldzorg.security.Discipline;
import nl.beeldzorg.system.ApiException;
import nl.beeldzorg.system.BeeldzorgProperties;
import nl.beeldzorg.system.DatabaseScheduler;
import org.jspecify.annotations.Nullable;
import nl.beeldzorg.system.ErrorCode;
import nl.beeldzorg.system.FieldErrorCode;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Availability (a consultant's own), expertise tags and the ANW on-call roster (an
 * ADMIN's, for the subregions where their institution has locations).
 */
@RestController
class RoutingController {

	private static final Duration COVERAGE_MARGIN = Duration.ofHours(24);

	private final CurrentUsers users;

	private final Availability availability;

	private final Presence presence;

	private final Expertise expertise;

	private final OnCallRoster roster;

	private final Directory directory;

	private final DatabaseClient db;

	private final TransactionalOperator tx;

	private final DatabaseScheduler scheduler;

	private final Clock clock;

	private final List<String> tags;

	RoutingController(CurrentUsers users, Availability availability, Presence presence, Expertise expertise,
			OnCallRoster roster, Directory directory, DatabaseClient db, TransactionalOperator tx,
			DatabaseScheduler scheduler, Clock clock, BeeldzorgProperties properties) {
		this.users = users;
		this.availability = availability;
		this.presence = presence;
		this.expertise = expertise;
		this.roster = roster;
		this.directory = directory;
		this.db = db;
		this.tx = tx;
		this.scheduler = scheduler;
		this.clock = clock;
		this.tags = properties.routing().expertiseTags();
	}

	@GetMapping("/api/v1/me/availability")
	Mono<AvailabilityView> availability() {
		return consultant().flatMap(this::view);
	}

	@PutMapping("/api/v1/me/availability")
	Mono<AvailabilityView> setAvailability(@Valid @RequestBody AvailabilityRequest request) {
		return consultant().flatMap((user) -> this.scheduler
			.run(this.availability.set(user.userId(), request.available(), this.clock.instant()))
			.then(view(user)));
	}

	/**
	 * The consultants of a discipline across the region's institutions, and whether each
	 * can be rung now: for a huisarts booking an SO, or a consultant choosing a
	 * colleague. Staff names only; nothing about clients.
	 */
	@GetMapping("/api/v1/consultants")
	Mono<List<ConsultantView>> consultants(@RequestParam(defaultValue = "SO") Discipline discipline) {
		return this.users.current()
			.filter((user) -> user.isConsultant() || user.discipline() == Discipline.HUISARTS)
			.switchIfEmpty(Mono.error(() -> new ApiException(ErrorCode.FORBIDDEN,
					"The consultant list is for consultants and huisartsen")))
			.flatMap((user) -> this.scheduler.run(this.directory.ofDiscipline(discipline).collectList()))
			.flatMap((all) -> {
				List<String> ids = all.stream().map(Directory.Practitioner::userId).toList();
				return this.scheduler.run(this.availability.available(ids))
					.zipWith(this.presence.reachable(ids))
					.map((both) -> all.stream()
						.map((p) -> new ConsultantView(p.userId(), p.name(), p.discipline(), p.institutionId(),
								both.getT1().contains(p.userId()) && both.getT2().contains(p.userId())))
						.toList());
			});
	}

	/**
	 * A consultant as listed.
	 *
	 * @param userId user id
	 * @param name name
	 * @param discipline discipline
	 * @param institutionId institution
	 * @param present available and reachable now
	 */
	record ConsultantView(String userId, String name, @Nullable Discipline discipline, @Nullable String institutionId,
			boolean present) {
	}

	@GetMapping("/api/v1/expertise-tags")
	List<String> expertiseTags() {
		return this.tags;
	}

	@PutMapping("/api/v1/admin/consultants/{userId}/expertise")
	Mono<Map<String, Object>> setExpertise(@PathVariable String userId, @Valid @RequestBody ExpertiseRequest request) {
		for (String tag : request.tags()) {
			if (!this.tags.contains(tag)) {
				return Mono.error(new ApiException(ErrorCode.UNKNOWN_EXPERTISE,
						"Unknown expertise '" + tag + "'; one of " + this.tags, "tags",
						FieldErrorCode.UNKNOWN_EXPERTISE));
			}
		}
		return admin().flatMap((admin) -> this.scheduler.run(this.directory.practitioner(userId)
			.filter((p) -> Objects.equals(p.institutionId(), admin.institutionId()) && p.discipline() != null
					&& p.discipline().isConsultant())
			.switchIfEmpty(Mono.error(() -> new ApiException(ErrorCode.UNKNOWN_CONSULTANT,
					"No consultant '" + userId + "' in your institution")))
			.flatMap((p) -> this.tx
				.transactional(this.expertise.set(userId, request.tags().stream().distinct().toList())))
			.then(Mono.fromSupplier(() -> Map.<String, Object>of("userId", userId, "tags", request.tags())))));
	}

	@GetMapping("/api/v1/admin/on-call-shifts")
	Mono<Map<String, Object>> shifts(@RequestParam String subregion, @RequestParam Instant from,
			@RequestParam Instant to) {
		return admin().flatMap((admin) -> checkSubregion(admin, subregion)
			.then(this.scheduler.run(this.roster.between(subregion, from, to).collectList()))
			.map((shifts) -> Map.of("subregion", subregion, "shifts", shifts, "gaps", gaps(shifts, from, to))));
	}

	@PostMapping("/api/v1/admin/on-call-shifts")
	@ResponseStatus(HttpStatus.CREATED)
	Mono<Map<String, Object>> addShift(@Valid @RequestBody ShiftRequest request) {
		return admin().flatMap((admin) -> checkSubregion(admin, request.subregion()).then(ownConsultants(admin))
			.doOnNext((own) -> checkConsultant(own, request.consultantId(), request.discipline()))
			.then(this.scheduler.run(this.tx.transactional(this.roster.add(shift(request, admin)))))
			.flatMap((shift) -> coverageAround(List.of(shift)).map((gaps) -> {
				Map<String, Object> body = new LinkedHashMap<>();
				body.put("shift", shift);
				body.put("gaps", gaps);
				return body;
			})));
	}

	@DeleteMapping("/api/v1/admin/on-call-shifts/{id}")
	Mono<Map<String, Object>> removeShift(@PathVariable UUID id) {
		return admin().flatMap((admin) -> this.scheduler
			.run(this.roster.remove(id, Objects.requireNonNull(admin.institutionId())))
			.flatMap((removed) -> removed ? Mono.just(Map.<String, Object>of("id", id, "removed", true))
					: Mono.error(new ApiException(ErrorCode.NOT_FOUND, "No shift " + id + " of your institution"))));
	}

	/**
	 * All-or-nothing import of shifts ({@code subregion,discipline,consultantId,role,
	 * startsAt,endsAt}); every bad or overlapping line is reported and nothing is stored.
	 */
	@PostMapping(path = "/api/v1/admin/on-call-shifts/import", consumes = "text/csv")
	Mono<Map<String, Object>> importShifts(@RequestBody String csv) {
		return admin().flatMap((admin) -> ownConsultants(admin).flatMap((own) -> {
			List<Map<String, Object>> errors = new ArrayList<>();
			List<OnCallRoster.Shift> shifts = parse(csv, admin, own, errors);
			if (!errors.isEmpty()) {
				return Mono.error(importError(errors));
			}
			Mono<List<OnCallRoster.Shift>> store = Flux.fromIterable(shifts)
				.concatMap((shift) -> checkSubregion(admin, shift.subregion()).then(this.roster.add(shift)))
				.collectList();
			return this.scheduler.run(this.tx.transactional(store))
				.flatMap((stored) -> coverageAround(stored)
					.map((gaps) -> Map.<String, Object>of("imported", stored.size(), "gaps", gaps)));
		}));
	}

	/**
	 * The admin's own institution's consultants and their disciplines: the only people
	 * its roster may ring (anyone else would be rung for an ANW consult and read it).
	 */
	private Mono<Map<String, Discipline>> ownConsultants(CurrentUser admin) {
		String institution = Objects.requireNonNull(admin.institutionId());
		return this.scheduler.run(Flux.fromArray(Discipline.values())
			.filter(Discipline::isConsultant)
			.concatMap((discipline) -> this.directory.consultants(institution, discipline))
			.collectMap(Directory.Practitioner::userId, (p) -> Objects.requireNonNull(p.discipline())));
	}

	/**
	 * Unknown, of another institution or of another profession: one answer, which tells
	 * nothing about whether or where the user exists.
	 */
	private static void checkConsultant(Map<String, Discipline> own, String consultantId, Discipline discipline) {
		if (own.get(consultantId) != discipline) {
			throw new ApiException(ErrorCode.ROSTER_UNKNOWN_CONSULTANT,
					"'" + consultantId + "' is not one of your institution's " + discipline + " consultants",
					"consultantId", FieldErrorCode.UNKNOWN_CONSULTANT);
		}
	}

	private List<OnCallRoster.Shift> parse(String csv, CurrentUser admin, Map<String, Discipline> own,
			List<Map<String, Object>> errors) {
		List<OnCallRoster.Shift> shifts = new ArrayList<>();
		try (var parser = CSVFormat.DEFAULT.builder()
			.setHeader()
			.setSkipHeaderRecord(true)
			.setTrim(true)
			.get()
			.parse(new StringReader(csv))) {
			for (CSVRecord line : parser) {
				try {
					OnCallRoster.Shift shift = shift(
							new ShiftRequest(line.get("subregion"), Discipline.valueOf(line.get("discipline")),
									line.get("consultantId"), OnCallRoster.Role.valueOf(line.get("role")),
									Instant.parse(line.get("startsAt")), Instant.parse(line.get("endsAt"))),
							admin);
					checkConsultant(own, shift.consultantId(), shift.discipline());
					for (OnCallRoster.Shift other : shifts) {
						if (other.subregion().equals(shift.subregion()) && other.discipline() == shift.discipline()
								&& other.role() == shift.role() && other.startsAt().isBefore(shift.endsAt())
								&& shift.startsAt().isBefore(other.endsAt())) {
							throw new IllegalArgumentException("overlaps the " + other.role() + " shift of "
									+ other.consultantId() + " in this file");
						}
					}
					shifts.add(shift);
				}
				catch (RuntimeException ex) {
					String message = (ex instanceof ApiException api && api.getBody().getDetail() != null)
							? api.getBody().getDetail() : ex.getMessage();
					errors.add(Map.of("line", line.getRecordNumber() + 1, "message", String.valueOf(message)));
				}
			}
		}
		catch (IOException | IllegalArgumentException | IllegalStateException ex) {
			errors.add(Map.of("line", 1, "message", "not CSV with a header line: " + ex.getMessage()));
		}
		return shifts;
	}

	private static ApiException importError(List<Map<String, Object>> errors) {
		return new ApiException(ErrorCode.IMPORT_INVALID, errors.size() + " line(s) refused; nothing imported: "
				+ errors.stream().map((e) -> "line " + e.get("line") + ": " + e.get("message")).toList());
	}

	private OnCallRoster.Shift shift(ShiftRequest request, CurrentUser admin) {
		if (!request.endsAt().isAfter(request.startsAt())) {
			throw new ApiException(ErrorCode.REQUEST_INVALID, "endsAt must be after startsAt", "endsAt",
					FieldErrorCode.ENDS_BEFORE_START);
		}
		if (!request.discipline().isConsultant()) {
			throw new ApiException(ErrorCode.REQUEST_INVALID, "discipline must be one of SO, BA, VS, PA, GZP",
					"discipline", FieldErrorCode.DISCIPLINE_NOT_CONSULTANT);
		}
		return new OnCallRoster.Shift(UUID.randomUUID(), request.subregion(), request.discipline(),
				request.consultantId(), request.role(), request.startsAt(), request.endsAt(),
				Objects.requireNonNull(admin.institutionId()), admin.userId(), this.clock.instant());
	}

	// Gaps in primary and backup coverage around the given shifts, per discipline.
	private Mono<List<Map<String, Object>>> coverageAround(List<OnCallRoster.Shift> shifts) {
		return Flux.fromIterable(shifts).map((shift) -> shift.subregion()).distinct().concatMap((subregion) -> {
			Instant from = shifts.stream()
				.filter((s) -> s.subregion().equals(subregion))
				.map(OnCallRoster.Shift::startsAt)
				.min(Instant::compareTo)
				.orElseThrow()
				.minus(COVERAGE_MARGIN);
			Instant to = shifts.stream()
				.filter((s) -> s.subregion().equals(subregion))
				.map(OnCallRoster.Shift::endsAt)
				.max(Instant::compareTo)
				.orElseThrow()
				.plus(COVERAGE_MARGIN);
			return this.scheduler.run(this.roster.between(subregion, from, to).collectList())
				.flatMapIterable((all) -> gaps(all, from, to));
		}).collectList();
	}

	private static List<Map<String, Object>> gaps(List<OnCallRoster.Shift> shifts, Instant from, Instant to) {
		List<Map<String, Object>> gaps = new ArrayList<>();
		shifts.stream().map(OnCallRoster.Shift::discipline).distinct().forEach((discipline) -> {
			for (OnCallRoster.Role role : OnCallRoster.Role.values()) {
				List<OnCallRoster.Shift> some = shifts.stream()
					.filter((s) -> s.discipline() == discipline && s.role() == role)
					.toList();
				for (OnCallRoster.Gap gap : OnCallRoster.gaps(some, from, to)) {
					gaps.add(Map.of("subregion", shifts.get(0).subregion(), "discipline", discipline, "role", role,
							"from", gap.from(), "to", gap.to()));
				}
			}
		});
		return gaps;
	}

	private Mono<Void> checkSubregion(CurrentUser admin, String subregion) {
		return this.scheduler
			.run(this.db.sql("SELECT COUNT(*) AS n FROM location WHERE institution_id = :i AND subregion = :s")
				.bind("i", Objects.requireNonNull(admin.institutionId()))
				.bind("s", subregion)
				.map((row) -> row.get("n", Long.class))
				.one())
			.flatMap((n) -> (n != null && n > 0) ? Mono.<Void>empty()
					: Mono.error(new ApiException(ErrorCode.ROSTER_UNKNOWN_SUBREGION,
							"Your institution has no location in subregion '" + subregion + "'")));
	}

	private Mono<AvailabilityView> view(CurrentUser user) {
		return this.scheduler.run(this.availability.isAvailable(user.userId())
			.zipWith(this.presence.reachable(List.of(user.userId())))
			.map((both) -> {
				boolean reachable = both.getT2().contains(user.userId());
				return new AvailabilityView(both.getT1(), reachable, both.getT1() && reachable);
			}));
	}

	private Mono<CurrentUser> consultant() {
		return this.users.current()
			.filter(CurrentUser::isConsultant)
			.switchIfEmpty(Mono.error(() -> new ApiException(ErrorCode.NOT_A_CONSULTANT,
					"Only consultants (SO, BA, VS, PA, GZP) have availability")))
			.flatMap((user) -> this.directory.remember(user).thenReturn(user));
	}

	private Mono<CurrentUser> admin() {
		return this.users.current()
			.filter((user) -> user.hasRole(CurrentUser.ADMIN) && user.institutionId() != null)
			.switchIfEmpty(Mono.error(() -> new ApiException(ErrorCode.FORBIDDEN,
					"Only an ADMIN of an institution keeps rosters and expertise")))
			.flatMap((admin) -> this.directory.remember(admin).thenReturn(admin));
	}

	/**
	 * @param available whether the consultant takes consults now
	 */
	record AvailabilityRequest(@NotNull Boolean available) {
	}

	/**
	 * @param available what the consultant said
	 * @param reachable an open app or a push subscription
	 * @param present both: routing rings them
	 */
	record AvailabilityView(boolean available, boolean reachable, boolean present) {
	}

	/**
	 * @param tags expertise tags from {@code GET /api/v1/expertise-tags}
	 */
	record ExpertiseRequest(@NotNull @Size(max = 20) List<@NotBlank String> tags) {
	}

	/**
	 * One on-call shift.
	 *
	 * @param subregion subregion covered
	 * @param discipline discipline
	 * @param consultantId who is on call
	 * @param role PRIMARY or BACKUP
	 * @param startsAt start
	 * @param endsAt end (exclusive)
	 */
	record ShiftRequest(@NotBlank @Size(max = 100) String subregion, @NotNull Discipline discipline,
			@NotBlank @Size(max = 128) String consultantId, @NotNull OnCallRoster.Role role, @NotNull Instant startsAt,
			@NotNull Instant endsAt) {
	}

}
