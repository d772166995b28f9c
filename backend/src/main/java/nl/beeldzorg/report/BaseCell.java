package nl.beeldzorg.report;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * The finest cell the time-saved and connection-quality reports sum: one institution,
 * discipline, consult kind and calendar month. Every row of every grouping is a set of
 * these; {@link Suppression} partitions them into atoms.
 *
 * @param institution the institution
 * @param discipline the discipline
 * @param kind the consult kind
 * @param month the month as {@code yyyymm}
 */
record BaseCell(String institution, String discipline, String kind, int month) {

	/** A total order, for repeatable choices. */
	static final Comparator<BaseCell> ORDER = Comparator.comparingInt(BaseCell::month)
		.thenComparing(BaseCell::institution)
		.thenComparing(BaseCell::discipline)
		.thenComparing(BaseCell::kind);

	/**
	 * Where suppression looks for partners, finest first: other kinds and months of the
	 * same institution and discipline in the calendar quarter; then other disciplines of
	 * the institution in that quarter; then other institutions in that quarter. Never
	 * across quarters, so the atoms of a quarter are the same whatever period a caller
	 * asks. A quarter, not a month: the capacity matrix is drawn per quarter, and a month
	 * of one institution's discipline rarely rests on three consultants, so monthly atoms
	 * would suppress nearly the whole matrix; the price is that a single month's figures
	 * are shown only programme-wide (a month is never a union of a quarter's atoms unless
	 * the atom lies inside it, so month rows are mostly suppressed).
	 */
	static final List<Function<BaseCell, ?>> LEVELS = List.of((b) -> List.of(b.quarter(), b.institution, b.discipline),
			(b) -> List.of(b.quarter(), b.institution), BaseCell::quarter);

	/**
	 * @return the calendar quarter as {@code yyyyq}
	 */
	int quarter() {
		return (this.month / 100) * 10 + ((this.month % 100) - 1) / 3 + 1;
	}

	/**
	 * @param key a grouping key
	 * @return this cell's value of it, as the API shows it
	 */
	Object value(GroupKey key) {
		return switch (key) {
			case INSTITUTION -> this.institution;
			case DISCIPLINE -> this.discipline;
			case KIND -> this.kind;
			case MONTH -> GroupKey.MONTH.render(this.month);
			case QUARTER -> GroupKey.QUARTER.render(quarter());
		};
	}

	/**
	 * @param keys a grouping
	 * @return the row this cell falls in
	 */
	List<Object> row(List<GroupKey> keys) {
		List<Object> row = new ArrayList<>(keys.size());
		keys.forEach((key) -> row.add(value(key)));
		return row;
	}

	/**
	 * @param day a day
	 * @return its month as {@code yyyymm}
	 */
	static int monthOf(LocalDate day) {
		return day.getYear() * 100 + day.getMonthValue();
	}

}
