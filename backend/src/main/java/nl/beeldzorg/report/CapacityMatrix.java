package nl.beeldzorg.report;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The programme's capacity matrix: institutions × the SO function family, each cell the
 * FTE-equivalent Beeldzorg saved in the period and its change against the previous
 * period.
 *
 * @param period the period
 * @param previousPeriod the period compared against
 * @param disciplines the columns
 * @param rows one per institution
 * @param assumptions hours per FTE and rules used
 */
public record CapacityMatrix(String period, String previousPeriod, List<String> disciplines, List<Row> rows,
		Map<String, Object> assumptions) {

	/** The SO function family, in the programme's column order. */
	static final List<String> DISCIPLINES = List.of("SO", "BA", "VS", "PA", "GZP");

	/**
	 * @param institutionId the institution
	 * @param institutionName its name
	 * @param cells per discipline
	 */
	public record Row(String institutionId, String institutionName, Map<String, Cell> cells) {
	}

	/**
	 * @param fteEquivalent FTE saved in the period
	 * @param previousFteEquivalent FTE saved in the previous period
	 * @param changePercent growth against the previous period, absent when that was zero
	 * @param suppressed whether it is not shown (in this or the previous period)
	 * @param suppressedBecause {@code few-consultants} (it rests on too few consultants)
	 * or {@code complementary} (hidden so that such a cell cannot be computed);
	 * {@code null} when shown
	 */
	public record Cell(@Nullable Double fteEquivalent, @Nullable Double previousFteEquivalent,
			@Nullable Double changePercent, boolean suppressed, @Nullable String suppressedBecause) {
	}

}
