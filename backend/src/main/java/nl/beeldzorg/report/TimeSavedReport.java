package nl.beeldzorg.report;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code GET /api/v1/reports/time-saved}.
 *
 * @param from first day
 * @param to last day
 * @param groupBy the grouping, as asked
 * @param rows one per group: its keys (with {@code institutionName} after
 * {@code institutionId}), then the figures; {@code consultsWithOutcome} and
 * {@code outcomeCompleteness} (their share of the ended consults, 0 to 1) show outcomes
 * not yet recorded
 * @param totals the figures over everything in scope
 * @param assumptions hours per FTE and the valuation rules used
 */
public record TimeSavedReport(LocalDate from, LocalDate to, List<String> groupBy, List<Map<String, Object>> rows,
		Map<String, Object> totals, Map<String, Object> assumptions) {

	/** The figure columns of a row, in order. */
	static final List<String> FIGURES = List.of("consults", "videoMinutes", "travelMinutesSaved",
			"handoverMinutesSaved", "minutesSaved", "minutesLost", "fteEquivalent", "consultsWithOutcome",
			"outcomeCompleteness", "suppressed");

}
