package nl.beeldzorg.report;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import nl.beeldzorg.system.ApiException;
import nl.beeldzorg.system.ErrorCode;
import nl.beeldzorg.system.FieldErrorCode;

/**
 * A reporting period: a month ({@code 2026-07}), a quarter ({@code 2026-Q3}) or a year
 * ({@code 2026}).
 *
 * @param from first day
 * @param to last day
 * @param label as written
 */
record Period(LocalDate from, LocalDate to, String label) {

	private static final Pattern QUARTER = Pattern.compile("(\\d{4})-[Qq]([1-4])");

	private static final Pattern MONTH = Pattern.compile("(\\d{4})-(\\d{2})");

	private static final Pattern YEAR = Pattern.compile("(\\d{4})");

	static Period parse(String text) {
		String value = text.trim();
		Matcher m = QUARTER.matcher(value);
		if (m.matches()) {
			int year = Integer.parseInt(m.group(1));
			int quarter = Integer.parseInt(m.group(2));
			LocalDate from = LocalDate.of(year, (quarter - 1) * 3 + 1, 1);
			return new Period(from, from.plusMonths(3).minusDays(1), year + "-Q" + quarter);
		}
		m = MONTH.matcher(value);
		if (m.matches() && Integer.parseInt(m.group(2)) >= 1 && Integer.parseInt(m.group(2)) <= 12) {
			YearMonth month = YearMonth.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
			return new Period(month.atDay(1), month.atEndOfMonth(), month.toString());
		}
		m = YEAR.matcher(value);
		if (m.matches()) {
			int year = Integer.parseInt(m.group(1));
			return new Period(LocalDate.of(year, 1, 1), LocalDate.of(year, 12, 31), Integer.toString(year));
		}
		throw new ApiException(ErrorCode.REQUEST_INVALID,
				"period '" + text + "' is not a month (2026-07), quarter (2026-Q3) or year (2026)", "period",
				FieldErrorCode.FORMAT);
	}

	/**
	 * @return the period of the same length just before this one
	 */
	Period previous() {
		if (this.label.contains("Q")) {
			LocalDate from = this.from.minusMonths(3);
			int quarter = (from.getMonthValue() - 1) / 3 + 1;
			return new Period(from, this.from.minusDays(1), from.getYear() + "-Q" + quarter);
		}
		if (this.label.length() == 4) {
			int year = this.from.getYear() - 1;
			return new Period(LocalDate.of(year, 1, 1), LocalDate.of(year, 12, 31), Integer.toString(year));
		}
		YearMonth month = YearMonth.from(this.from).minusMonths(1);
		return new Period(month.atDay(1), month.atEndOfMonth(), month.toString().toUpperCase(Locale.ROOT));
	}

}
