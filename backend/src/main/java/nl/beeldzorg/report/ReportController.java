package nl.beeldzorg.report;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import nl.beeldzorg.security.CurrentUsers;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The programme's reports as JSON, CSV ({@code Accept: text/csv}) or Excel
 * ({@code Accept: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet}).
 * Downloads have Dutch headers; {@code ?lang=en} gives English ones. The JSON's field
 * names never change.
 */
@RestController
@RequestMapping("/api/v1/reports")
class ReportController {

	private final TimeSavedReports timeSaved;

	private final CapacityMatrixReports capacity;

	private final ConnectionQualityReports quality;

	private final OutcomeReports outcomes;

	private final CurrentUsers users;

	ReportController(TimeSavedReports timeSaved, CapacityMatrixReports capacity, ConnectionQualityReports quality,
			OutcomeReports outcomes, CurrentUsers users) {
		this.outcomes = outcomes;
		this.timeSaved = timeSaved;
		this.capacity = capacity;
		this.quality = quality;
		this.users = users;
	}

	@GetMapping(path = "/time-saved", produces = { MediaType.APPLICATION_JSON_VALUE, "text/csv", TableExport.XLSX })
	Mono<ResponseEntity<?>> timeSaved(@RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
			@RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to,
			@RequestParam(defaultValue = "institution,month") String groupBy,
			@RequestHeader(name = HttpHeaders.ACCEPT, defaultValue = MediaType.APPLICATION_JSON_VALUE) String accept,
			@RequestParam(defaultValue = "nl") String lang) {
		ExportLanguage language = ExportLanguage.of(lang);
		List<GroupKey> keys = GroupKey.parse(groupBy);
		return this.users.current()
			.flatMap((user) -> this.timeSaved.report(ReportScope.of(user), from, to, keys))
			.flatMap((report) -> {
				List<String> columns = new ArrayList<>();
				keys.forEach((key) -> {
					columns.add(key.field);
					if (key == GroupKey.INSTITUTION) {
						columns.add("institutionName");
					}
				});
				columns.addAll(TimeSavedReport.FIGURES);
				String name = "beeldzorg-tijdsbesparing-" + from + "-" + to;
				return render(accept, report, columns, report.rows(), "Tijdsbesparing", name, report.assumptions(),
						language);
			});
	}

	@GetMapping(path = "/capacity-matrix",
			produces = { MediaType.APPLICATION_JSON_VALUE, "text/csv", TableExport.XLSX })
	Mono<ResponseEntity<?>> capacityMatrix(@RequestParam String period,
			@RequestHeader(name = HttpHeaders.ACCEPT, defaultValue = MediaType.APPLICATION_JSON_VALUE) String accept,
			@RequestParam(defaultValue = "nl") String lang) {
		ExportLanguage language = ExportLanguage.of(lang);
		Period parsed = Period.parse(period);
		return this.users.current()
			.flatMap((user) -> this.capacity.matrix(ReportScope.of(user), parsed))
			.flatMap((matrix) -> renderMatrix(accept, matrix, language));
	}

	@io.swagger.v3.oas.annotations.Operation(summary = "Connection quality from what the media reported",
			description = "Per group: accepted consults, connected (a party reported media connected, media-state"
					+ " v1.1), connectedShare, medianSecondsToConnect (accept to media), medianRttMs and medianLossPct"
					+ " (over stats samples), relayShare (of connected consults, through TURN), reconnects (media"
					+ " back after a drop), suppressed. Medians are read from histograms, exact to within a bucket.")
	@GetMapping(path = "/connection-quality",
			produces = { MediaType.APPLICATION_JSON_VALUE, "text/csv", TableExport.XLSX })
	Mono<ResponseEntity<?>> connectionQuality(
			@RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
			@RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to,
			@RequestParam(defaultValue = "institution,month") String groupBy,
			@RequestHeader(name = HttpHeaders.ACCEPT, defaultValue = MediaType.APPLICATION_JSON_VALUE) String accept,
			@RequestParam(defaultValue = "nl") String lang) {
		ExportLanguage language = ExportLanguage.of(lang);
		List<GroupKey> keys = GroupKey.parse(groupBy);
		return this.users.current()
			.flatMap((user) -> this.quality.report(ReportScope.of(user), from, to, keys))
			.flatMap((report) -> {
				List<String> columns = new ArrayList<>(keys.stream().map((key) -> key.field).toList());
				columns.addAll(ConnectionQualityReports.FIGURES);
				@SuppressWarnings("unchecked")
				List<Map<String, Object>> rows = (List<Map<String, Object>>) report.get("rows");
				return render(accept, report, columns, rows, "Verbindingskwaliteit",
						"beeldzorg-verbindingskwaliteit-" + from + "-" + to, Map.of(), language);
			});
	}

	@GetMapping(path = "/outcomes", produces = { MediaType.APPLICATION_JSON_VALUE, "text/csv", TableExport.XLSX })
	Mono<ResponseEntity<?>> outcomes(@RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
			@RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to,
			@RequestHeader(name = HttpHeaders.ACCEPT, defaultValue = MediaType.APPLICATION_JSON_VALUE) String accept,
			@RequestParam(defaultValue = "nl") String lang) {
		ExportLanguage language = ExportLanguage.of(lang);
		return this.users.current()
			.flatMap((user) -> this.outcomes.report(ReportScope.of(user), from, to))
			.flatMap((report) -> {
				@SuppressWarnings("unchecked")
				List<Map<String, Object>> rows = (List<Map<String, Object>>) report.get("rows");
				return render(accept, report, OutcomeReports.COLUMNS, rows, "Uitkomsten",
						"beeldzorg-uitkomsten-" + from + "-" + to, Map.of(), language);
			});
	}

	private static Mono<ResponseEntity<?>> render(String accept, Object json, List<String> columns,
			List<Map<String, Object>> rows, String sheet, String fileName, Map<String, Object> notes,
			ExportLanguage language) {
		return render(accept, json, fileName, () -> TableExport.xlsx(sheet, columns, rows, notes, language),
				() -> TableExport.csv(columns, rows, language));
	}

	private static Mono<ResponseEntity<?>> renderMatrix(String accept, CapacityMatrix matrix, ExportLanguage language) {
		return render(accept, matrix, "beeldzorg-capaciteitsmatrix-" + matrix.period(),
				() -> CapacityMatrixExport.xlsx(matrix, language), () -> CapacityMatrixExport.csv(matrix, language));
	}

	private static Mono<ResponseEntity<?>> render(String accept, Object json, String fileName, Callable<byte[]> xlsx,
			Supplier<byte[]> csv) {
		if (accept.contains(TableExport.XLSX)) {
			return Mono.fromCallable(xlsx)
				.subscribeOn(Schedulers.boundedElastic())
				.map((bytes) -> ResponseEntity.ok()
					.contentType(MediaType.parseMediaType(TableExport.XLSX))
					.header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + fileName + ".xlsx\"")
					.body(bytes));
		}
		if (accept.contains("text/csv")) {
			return Mono.just(ResponseEntity.ok()
				.contentType(new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8))
				.header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + fileName + ".csv\"")
				.body(csv.get()));
		}
		return Mono.just(ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(json));
	}

}
