package nl.beeldzorg.settings;

import java.io.IOException;
import java.io.StringReader;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import nl.beeldzorg.directory.Directory;
import nl.beeldzorg.directory.Location;
import nl.beeldzorg.security.CurrentUser;
import nl.beeldzorg.security.CurrentUsers;
import nl.beeldzorg.system.ApiException;
import nl.beeldzorg.system.DatabaseScheduler;
import nl.beeldzorg.system.ErrorCode;
import nl.beeldzorg.system.FieldErrorCode;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.ProblemDetail;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * An institution's settings for its ADMIN: {@code /api/v1/admin/**}. CSV imports are all
 * or nothing: one bad line refuses the file, with every bad line listed.
 */
@RestController
@RequestMapping("/api/v1/admin")
class SettingsController {

	/** The largest CSV import. */
	static final int MAX_IMPORT_BYTES = 2 * 1024 * 1024;

	private final SettingsService settings;

	private final CurrentUsers users;

	private final Directory directory;

	private final Validator validator;

	private final TransactionalOperator tx;

	private final DatabaseScheduler scheduler;

	SettingsController(SettingsService settings, CurrentUsers users, Directory directory, Validator validator,
			TransactionalOperator tx, DatabaseScheduler scheduler) {
		this.directory = directory;
		this.settings = settings;
		this.users = users;
		this.validator = validator;
		this.tx = tx;
		this.scheduler = scheduler;
	}

	@PutMapping("/institution")
	Mono<Map<String, Object>> renameInstitution(@Valid @RequestBody SettingsRequests.Institution institution) {
		return admin().flatMap((admin) -> this.directory.renameInstitution(institution(admin), institution.name())
			.then(this.directory.updateRouting(institution(admin), institution.fallbackPhone(),
					institution.fallbackInstructions(), institution.steppedCare()))
			.then(this.directory.routing(institution(admin)))
			.map((routing) -> {
				Map<String, Object> body = new java.util.LinkedHashMap<>();
				body.put("id", institution(admin));
				body.put("name", institution.name());
				body.put("fallbackPhone", routing.fallbackPhone());
				body.put("fallbackInstructions", routing.fallbackInstructions());
				body.put("steppedCare", routing.steppedCare());
				return body;
			}));
	}

	@GetMapping("/valuation-rules")
	Flux<Map<String, Object>> rules() {
		return admin().flatMapMany((admin) -> this.settings.rules(institution(admin)));
	}

	@PostMapping("/valuation-rules")
	Mono<Map<String, Object>> addRule(@Valid @RequestBody SettingsRequests.Rule rule) {
		return admin().flatMap((admin) -> this.settings.addRule(admin, institution(admin), rule));
	}

	@PutMapping("/locations/{id}")
	Mono<Location> putLocation(@PathVariable String id, @Valid @RequestBody SettingsRequests.Location location) {
		checkId(id);
		return admin().flatMap((admin) -> this.settings.putLocation(institution(admin), id, location));
	}

	/** CSV with header {@code id,name,subregion,latitude,longitude}. */
	@PostMapping(path = "/locations/import", consumes = "text/csv")
	Mono<Map<String, Object>> importLocations(@RequestBody Flux<DataBuffer> body) {
		return admin()
			.flatMap((admin) -> parse(body, List.of("id", "name", "subregion", "latitude", "longitude"), (record) -> {
				checkId(record.get("id"));
				return new Line<>(record.get("id"), validated(new SettingsRequests.Location(record.get("name"),
						record.get("subregion"), decimal(record.get("latitude")), decimal(record.get("longitude")))));
			}).flatMap((lines) -> this.scheduler.run(this.tx.transactional(Flux.fromIterable(lines)
				.concatMap((line) -> atLine(line,
						this.settings.upsertLocation(institution(admin), line.key(), line.value())))
				.count()))).map((count) -> Map.of("imported", count)));
	}

	@PutMapping("/consultants/{userId}/base")
	Mono<Map<String, Object>> putBase(@PathVariable String userId, @Valid @RequestBody SettingsRequests.Base base) {
		return admin().flatMap((admin) -> this.settings.putBase(institution(admin), userId, base));
	}

	/** CSV with header {@code userId,locationId,validFrom}. */
	@PostMapping(path = "/consultants/bases/import", consumes = "text/csv")
	Mono<Map<String, Object>> importBases(@RequestBody Flux<DataBuffer> body) {
		return admin().flatMap((admin) -> parse(body, List.of("userId", "locationId", "validFrom"),
				(record) -> new Line<>(record.get("userId"),
						validated(new SettingsRequests.Base(record.get("locationId"),
								LocalDate.parse(record.get("validFrom").trim())))))
			.flatMap((lines) -> this.scheduler.run(this.tx.transactional(Flux.fromIterable(lines)
				.concatMap((line) -> atLine(line, this.settings.addBase(institution(admin), line.key(), line.value())))
				.count())))
			.map((count) -> Map.of("imported", count)));
	}

	@GetMapping("/travel-times")
	Flux<Map<String, Object>> travelTimes() {
		return admin().flatMapMany((admin) -> this.settings.travelTimes(institution(admin)));
	}

	@PutMapping("/travel-times")
	Mono<Map<String, Object>> putTravelTime(@Valid @RequestBody SettingsRequests.TravelTime travel) {
		return admin().flatMap((admin) -> this.settings.putTravelTime(institution(admin), travel));
	}

	/** CSV with header {@code from,to,minutes,validFrom}. */
	@PostMapping(path = "/travel-times/import", consumes = "text/csv")
	Mono<Map<String, Object>> importTravelTimes(@RequestBody Flux<DataBuffer> body) {
		return admin().flatMap((admin) -> parse(body, List.of("from", "to", "minutes", "validFrom"),
				(record) -> new Line<>(record.get("from"),
						validated(new SettingsRequests.TravelTime(record.get("from"), record.get("to"),
								Integer.parseInt(record.get("minutes").trim()),
								LocalDate.parse(record.get("validFrom").trim())))))
			.flatMap((lines) -> this.scheduler.run(this.tx.transactional(Flux.fromIterable(lines)
				.concatMap((line) -> atLine(line, this.settings.addTravelTime(institution(admin), line.value())))
				.count())))
			.map((count) -> Map.of("imported", count)));
	}

	/** A line the database refuses refuses the whole file, and says which line. */
	private static <T, R> Mono<R> atLine(Line<T> line, Mono<R> write) {
		return write.onErrorMap(ApiException.class,
				(ex) -> importError(List.of(Map.of("line", line.number(), "message", message(ex)))));
	}

	private Mono<CurrentUser> admin() {
		return this.users.current()
			.filter((user) -> user.hasRole(CurrentUser.ADMIN) && user.institutionId() != null)
			.switchIfEmpty(Mono.error(() -> new ApiException(ErrorCode.FORBIDDEN,
					"Only an ADMIN of an institution changes its settings")))
			.flatMap((admin) -> this.directory.remember(admin).thenReturn(admin));
	}

	private static String institution(CurrentUser admin) {
		return java.util.Objects.requireNonNull(admin.institutionId());
	}

	private <T> T validated(T value) {
		Set<ConstraintViolation<T>> violations = this.validator.validate(value);
		if (!violations.isEmpty()) {
			ConstraintViolation<T> first = violations.iterator().next();
			throw new IllegalArgumentException(first.getPropertyPath() + " " + first.getMessage());
		}
		return value;
	}

	private static <T> Mono<List<Line<T>>> parse(Flux<DataBuffer> body, List<String> header,
			Function<CSVRecord, Line<T>> line) {
		return DataBufferUtils.join(body, MAX_IMPORT_BYTES).map((buffer) -> {
			String text = buffer.toString(java.nio.charset.StandardCharsets.UTF_8);
			DataBufferUtils.release(buffer);
			return text;
		}).defaultIfEmpty("").map((text) -> {
			List<Line<T>> lines = new ArrayList<>();
			List<Map<String, Object>> errors = new ArrayList<>();
			try (CSVParser parser = CSVParser.parse(new StringReader(text),
					CSVFormat.DEFAULT.builder()
						.setHeader()
						.setSkipHeaderRecord(true)
						.setTrim(true)
						.setIgnoreEmptyLines(true)
						.get())) {
				if (!parser.getHeaderNames().containsAll(header)) {
					throw importError(List.of(Map.of("line", 1, "message", "the header must be " + header)));
				}
				for (CSVRecord record : parser) {
					try {
						Line<T> parsed = line.apply(record);
						lines.add(new Line<>(parsed.key(), parsed.value(), record.getRecordNumber() + 1));
					}
					catch (IllegalArgumentException | DateTimeParseException | ApiException ex) {
						errors.add(Map.of("line", record.getRecordNumber() + 1, "message", message(ex)));
					}
				}
			}
			catch (IOException | IllegalStateException | java.io.UncheckedIOException ex) {
				throw importError(List.of(Map.of("line", 0, "message", "not CSV: " + ex.getMessage())));
			}
			if (!errors.isEmpty()) {
				throw importError(errors);
			}
			return lines;
		});
	}

	private static String message(Exception ex) {
		if (ex instanceof ApiException api && api.getBody().getDetail() != null) {
			return api.getBody().getDetail();
		}
		return (ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getSimpleName();
	}

	private static ApiException importError(List<Map<String, Object>> errors) {
		ApiException ex = new ApiException(ErrorCode.IMPORT_INVALID,
				errors.size() + " bad line(s); nothing was imported");
		ProblemDetail body = ex.getBody();
		body.setProperty("errors", errors);
		return ex;
	}

	private static void checkId(String id) {
		if (id == null || !id.matches("[a-z0-9][a-z0-9-]{1,63}")) {
			throw new ApiException(ErrorCode.REQUEST_INVALID,
					"location id '" + id + "' must be 2 to 64 lower-case letters, digits and dashes", "id",
					FieldErrorCode.FORMAT);
		}
	}

	private static Double decimal(String text) {
		return (text == null || text.isBlank()) ? null : Double.valueOf(text.trim());
	}

	private record Line<T>(String key, T value, long number) {

		Line(String key, T value) {
			this(key, value, 0);
		}

	}

}
