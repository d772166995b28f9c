package nl.beeldzorg.report;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import nl.beeldzorg.system.DatabaseScheduler;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Service;

/**
 * How consults ended: the latest recorded outcome of each, counted by resolution and by
 * what would have happened without video.
 */
@Service
class OutcomeReports {

	private final DatabaseClient db;

	private final DatabaseScheduler scheduler;

	OutcomeReports(DatabaseClient db, DatabaseScheduler scheduler) {
		this.db = db;
		this.scheduler = scheduler;
	}

	Mono<Map<String, Object>> report(ReportScope scope, LocalDate from, LocalDate to) {
		String sql = "SELECT o.resolution, o.without_video, COUNT(*) AS consults,"
				+ " COUNT(DISTINCT c.consultant_id) AS consultants FROM consult_outcome o"
				+ " JOIN consult c ON c.id = o.consult_id"
				+ " WHERE o.version = (SELECT MAX(l.version) FROM consult_outcome l WHERE l.consult_id = o.consult_id)"
				+ " AND c.consult_day BETWEEN :from AND :to"
				+ ((scope.institutionId() != null) ? " AND c.institution_id = :institution" : "")
				+ " GROUP BY o.resolution, o.without_video ORDER BY o.resolution, o.without_video";
		GenericExecuteSpec spec = this.db.sql(sql).bind("from", from).bind("to", to);
		if (scope.institutionId() != null) {
			spec = spec.bind("institution", scope.institutionId());
		}
		return this.scheduler.run(spec.map((row) -> {
			boolean suppressed = scope.programme()
					&& ((Number) row.get("consultants")).longValue() < ReportScope.MIN_CONSULTANTS;
			Map<String, Object> out = new LinkedHashMap<>();
			out.put("resolution", row.get("resolution", String.class));
			out.put("withoutVideo", row.get("without_video", String.class));
			out.put("consults", suppressed ? null : ((Number) row.get("consults")).longValue());
			out.put("suppressed", suppressed);
			return out;
		}).all().collectList().map((rows) -> {
			Map<String, Object> report = new LinkedHashMap<>();
			report.put("from", from.toString());
			report.put("to", to.toString());
			report.put("rows", rows);
			return report;
		}));
	}

	static final List<String> COLUMNS = List.of("resolution", "withoutVideo", "consults", "suppressed");

}
