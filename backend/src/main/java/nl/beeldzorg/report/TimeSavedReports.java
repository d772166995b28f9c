package nl.beeldzorg.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

import nl.beeldzorg.ledger.ValuationRule;
import nl.beeldzorg.system.ApiException;
import nl.beeldzorg.system.DatabaseScheduler;
import nl.beeldzorg.system.ErrorCode;
import nl.beeldzorg.system.FieldErrorCode;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Service;

/**
 * Builds the time-saved report: figures per group, FTE-equivalents with each
 * institution's hours per FTE over the period a row covers, and programme-wide
 * suppression of cells that rest on fewer than three consultants.
 */
@Service
class TimeSavedReports {

	/** The longest period one report covers. */
	static final int MAX_DAYS = 3 * 366;

	private final TimeSavedQueries queries;

	private final DatabaseScheduler scheduler;

	TimeSavedReports(TimeSavedQueries queries, DatabaseScheduler scheduler) {
		this.queries = queries;
		this.scheduler = scheduler;
	}

	Mono<TimeSavedReport> report(ReportScope scope, LocalDate from, LocalDate to, List<GroupKey> keys) {
		if (to.isBefore(from)) {
			return Mono.error(new ApiException(ErrorCode.REQUEST_INVALID,
					"'to' must be on or after 'from', at most three years later", "to",
					FieldErrorCode.ENDS_BEFORE_START));
		}
		if (ChronoUnit.DAYS.between(from, to) > MAX_DAYS) {
			return Mono.error(new ApiException(ErrorCode.REQUEST_INVALID,
					"'to' must be on or after 'from', at most three years later", "to",
					FieldErrorCode.PERIOD_TOO_LONG));
		}
		LocalDate first = scope.programme() ? wholeQuartersFrom(from) : from;
		LocalDate last = scope.programme() ? wholeQuartersTo(to) : to;
		Mono<List<TimeSavedQueries.Cell>> cells = this.queries.cells(first, last, scope).collectList();
		Mono<Map<BaseCell, Set<String>>> consultants = scope.programme() ? this.queries.consultants(first, last, scope)
				: Mono.just(Map.of());
		Mono<Map<String, ValuationRule>> rules = this.queries.rulesOn(last);
		Mono<Map<String, String>> names = keys.contains(GroupKey.INSTITUTION) ? this.queries.institutionNames()
				: Mono.just(Map.of());
		return this.scheduler.run(Mono.zip(cells, consultants, rules, names)
			.map((t) -> withNames(build(scope, first, last, keys, t.getT1(), t.getT2(), t.getT3()), t.getT4())));
	}

	/**
	 * Programme-wide reports cover whole calendar quarters (suppression's atoms are made
	 * per quarter, {@link BaseCell#LEVELS}): the first day of {@code from}'s quarter.
	 */
	static LocalDate wholeQuartersFrom(LocalDate from) {
		return from.withDayOfMonth(1).withMonth(((from.getMonthValue() - 1) / 3) * 3 + 1);
	}

	/**
	 * @return the last day of {@code to}'s quarter
	 */
	static LocalDate wholeQuartersTo(LocalDate to) {
		LocalDate last = to.withDayOfMonth(1).withMonth(((to.getMonthValue() - 1) / 3) * 3 + 3);
		return last.withDayOfMonth(last.lengthOfMonth());
	}

	/**
	 * Puts each row's institution name right after its id: the programme reads names.
	 */
	private static TimeSavedReport withNames(TimeSavedReport report, Map<String, String> names) {
		if (names.isEmpty()) {
			return report;
		}
		List<Map<String, Object>> rows = new ArrayList<>();
		for (Map<String, Object> row : report.rows()) {
			Map<String, Object> named = new LinkedHashMap<>();
			row.forEach((field, value) -> {
				named.put(field, value);
				if ("institutionId".equals(field)) {
					named.put("institutionName", names.getOrDefault(String.valueOf(value), String.valueOf(value)));
				}
			});
			rows.add(named);
		}
		return new TimeSavedReport(report.from(), report.to(), report.groupBy(), rows, report.totals(),
				report.assumptions());
	}

	private TimeSavedReport build(ReportScope scope, LocalDate from, LocalDate to, List<GroupKey> keys,
			List<TimeSavedQueries.Cell> cells, Map<BaseCell, Set<String>> consultants,
			Map<String, ValuationRule> rules) {
		double periodYears = periodYears(keys, from, to);
		double years = yearsBetween(from, to);
		Suppression<BaseCell> suppression = scope.programme()
				? Suppression.of(cells.stream().map((cell) -> cell.base).toList(), consultants, sizes(cells),
						BaseCell.ORDER, BaseCell.LEVELS)
				: null;
		Map<List<Object>, Figures> groups = new TreeMap<>(TimeSavedReports::compareKeys);
		Figures total = new Figures();
		for (TimeSavedQueries.Cell cell : cells) {
			Figures figures = groups.computeIfAbsent(cell.base.row(keys), (k) -> new Figures());
			double hoursPerFte = (suppression != null) ? pooledHoursPerFte(rules, suppression.atom(cell.base))
					: hoursPerFte(rules, cell.base.institution());
			double minutes = cell.travel + cell.handover;
			figures.add(cell, minutes / 60.0 / (hoursPerFte * periodYears));
			total.add(cell, minutes / 60.0 / (hoursPerFte * years));
		}
		Set<List<Object>> suppressed = (suppression != null) ? suppression.suppressedRows((b) -> b.row(keys))
				: Set.of();
		Map<List<Object>, Set<String>> rowConsultants = new HashMap<>();
		consultants.forEach((base, who) -> {
			List<Object> row = base.row(keys);
			if (suppressed.contains(row)) {
				rowConsultants.computeIfAbsent(row, (k) -> new HashSet<>()).addAll(who);
			}
		});
		List<Map<String, Object>> rows = new ArrayList<>();
		groups.forEach((groupKeys, figures) -> {
			Map<String, Object> row = new LinkedHashMap<>();
			for (int i = 0; i < keys.size(); i++) {
				row.put(keys.get(i).field, groupKeys.get(i));
			}
			boolean hidden = suppressed.contains(groupKeys);
			row.putAll(figures.toMap(hidden));
			row.put("suppressedBecause",
					hidden ? reason(rowConsultants.getOrDefault(groupKeys, Set.of()).size()) : null);
			rows.add(row);
		});
		boolean totalSuppressed = suppression != null && suppression.totalSuppressed();
		Map<String, Object> totals = total.toMap(totalSuppressed);
		totals.put("suppressedBecause", totalSuppressed ? reason(
				consultants.values().stream().flatMap(Set::stream).collect(java.util.stream.Collectors.toSet()).size())
				: null);
		return new TimeSavedReport(from, to,
				keys.stream().map((k) -> k.name().toLowerCase(java.util.Locale.ROOT)).toList(), rows, totals,
				assumptions(rules, scope));
	}

	/**
	 * Why a figure is suppressed: it rests on too few consultants itself, or it is
	 * suppressed so that one that does cannot be computed from it.
	 */
	static String reason(int consultants) {
		return (consultants < ReportScope.MIN_CONSULTANTS) ? FEW_CONSULTANTS : COMPLEMENTARY;
	}

	/** {@code suppressedBecause}: the figure rests on too few consultants. */
	static final String FEW_CONSULTANTS = "few-consultants";

	/** {@code suppressedBecause}: suppressed so that another cannot be derived. */
	static final String COMPLEMENTARY = "complementary";

	static ToLongFunction<BaseCell> sizes(List<TimeSavedQueries.Cell> cells) {
		Map<BaseCell, Long> sizes = new HashMap<>();
		cells.forEach((cell) -> sizes.put(cell.base, cell.consults));
		return (base) -> sizes.getOrDefault(base, 0L);
	}

	/**
	 * The hours per FTE a base cell is valued at programme-wide: its institution's; where
	 * its atom spans institutions with different hours, their mean, so that FTE and
	 * minutes of a shown figure never form two equations that split an atom.
	 */
	static double pooledHoursPerFte(Map<String, ValuationRule> rules, List<BaseCell> atom) {
		return atom.stream()
			.map(BaseCell::institution)
			.distinct()
			.mapToDouble((institution) -> hoursPerFte(rules, institution))
			.average()
			.orElse(ValuationRule.DEFAULT_HOURS_PER_FTE);
	}

	static Map<String, Object> assumptions(Map<String, ValuationRule> rules, ReportScope scope) {
		Map<String, Object> assumptions = new LinkedHashMap<>();
		long distinctHours = rules.values().stream().mapToInt(ValuationRule::hoursPerFtePerYear).distinct().count();
		boolean allDefault = rules.values()
			.stream()
			.allMatch((rule) -> rule.hoursPerFtePerYear() == ValuationRule.DEFAULT_HOURS_PER_FTE);
		assumptions.put("hoursPerFtePerYear", (allDefault || distinctHours == 0) ? ValuationRule.DEFAULT_HOURS_PER_FTE
				: (distinctHours == 1) ? rules.values().iterator().next().hoursPerFtePerYear() : null);
		List<Map<String, Object>> used = new ArrayList<>();
		rules.values()
			.stream()
			.filter((rule) -> scope.institutionId() == null || rule.institutionId().equals(scope.institutionId()))
			.sorted(java.util.Comparator.comparing(ValuationRule::institutionId))
			.forEach((rule) -> used.add(Map.of("institutionId", rule.institutionId(), "ruleVersion", rule.version(),
					"validFrom", rule.validFrom().toString(), "hoursPerFtePerYear", rule.hoursPerFtePerYear())));
		assumptions.put("rules", used);
		assumptions.put("defaultRule", "version 0 where an institution set none: " + ValuationRule.DEFAULT_HOURS_PER_FTE
				+ " h per FTE per year; handover norms 15/20/15/10 min" + " (bedside/ANW/IMOZ/expert), capped at 60");
		assumptions.put("travel", "round trip from the consultant's base; matrix entry, or estimated from"
				+ " coordinates (1.3 x straight line at 50 km/h)");
		assumptions.put("suppression",
				scope.programme() ? "programme-wide cells resting on fewer than " + ReportScope.MIN_CONSULTANTS
						+ " distinct consultants are suppressed, and with them complementary"
						+ " cells so that none can be computed from the rest (whole calendar months; see docs/API.md)"
						: "none (own institution)");
		return assumptions;
	}

	static double hoursPerFte(Map<String, ValuationRule> rules, String institutionId) {
		ValuationRule rule = rules.get(institutionId);
		return (rule != null) ? rule.hoursPerFtePerYear() : ValuationRule.DEFAULT_HOURS_PER_FTE;
	}

	/**
	 * The part of a year one row covers: a month, a quarter, or the whole report period.
	 */
	static double periodYears(List<GroupKey> keys, LocalDate from, LocalDate to) {
		if (keys.contains(GroupKey.MONTH)) {
			return 1.0 / 12;
		}
		if (keys.contains(GroupKey.QUARTER)) {
			return 1.0 / 4;
		}
		return yearsBetween(from, to);
	}

	static double yearsBetween(LocalDate from, LocalDate to) {
		return (ChronoUnit.DAYS.between(from, to) + 1) / 365.25;
	}

	static double round(double value, int places) {
		return BigDecimal.valueOf(value).setScale(places, RoundingMode.HALF_UP).doubleValue();
	}

	@SuppressWarnings("unchecked")
	static int compareKeys(List<Object> a, List<Object> b) {
		for (int i = 0; i < a.size(); i++) {
			int c = ((Comparable<Object>) a.get(i)).compareTo(b.get(i));
			if (c != 0) {
				return c;
			}
		}
		return 0;
	}

	/** Running figures of one row. */
	static final class Figures {

		long consults;

		long videoSeconds;

		long travel;

		long handover;

		long lost;

		long outcomes;

		double fte;

		void add(TimeSavedQueries.Cell cell, double fte) {
			this.consults += cell.consults;
			this.videoSeconds += cell.videoSeconds;
			this.outcomes += cell.outcomes;
			this.travel += cell.travel;
			this.handover += cell.handover;
			this.lost += cell.lost;
			this.fte += fte;
		}

		Map<String, Object> toMap(boolean suppressed) {
			Map<String, Object> figures = new LinkedHashMap<>();
			figures.put("consults", suppressed ? null : this.consults);
			figures.put("videoMinutes", suppressed ? null : Math.round(this.videoSeconds / 60.0));
			figures.put("travelMinutesSaved", suppressed ? null : this.travel);
			figures.put("handoverMinutesSaved", suppressed ? null : this.handover);
			figures.put("minutesSaved", suppressed ? null : this.travel + this.handover);
			figures.put("minutesLost", suppressed ? null : this.lost);
			figures.put("fteEquivalent", suppressed ? null : round(this.fte, 3));
			figures.put("consultsWithOutcome", suppressed ? null : this.outcomes);
			figures.put("outcomeCompleteness",
					(suppressed || this.consults == 0) ? null : round((double) this.outcomes / this.consults, 3));
			figures.put("suppressed", suppressed);
			return figures;
		}

	}

}
