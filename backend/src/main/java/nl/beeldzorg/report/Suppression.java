package nl.beeldzorg.report;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Complementary suppression that no subtraction can undo, across every grouping, every
 * period of whole quarters (outcomes: months) and the totals.
 * <p>
 * The finest cells a report is summed from ("base cells": for the time-saved and
 * connection-quality reports one institution × discipline × consult kind × calendar
 * month, partitioned per calendar quarter; for outcomes one resolution × without-video ×
 * month, partitioned per month) are partitioned into <em>atoms</em>, each resting on at
 * least {@value ReportScope#MIN_CONSULTANTS} distinct consultants. The partition of a
 * quarter (or month) is made from its data only, so it is the same whatever a caller
 * asks. A figure is shown only when the cells it sums are a union of whole atoms; any
 * other figure is suppressed. Every shown figure is then a sum of atoms, so any sum or
 * difference of shown figures is constant over each atom, and a suppressed figure (which
 * cuts through an atom) can never be computed from them. A cell resting on fewer
 * consultants can never be a union of atoms, so it is always suppressed ("few
 * consultants"); a cell suppressed only because it shares an atom with one is suppressed
 * "complementary".
 * <p>
 * Atoms are made bottom-up through levels given finest first (for base cells, see
 * {@link BaseCell#LEVELS}: within one institution, discipline and quarter across kinds
 * and months; then within one institution and quarter across disciplines; then within the
 * quarter across institutions). At each level the parts resting on too few consultants
 * are joined; if together they still rest on too few, the smallest part that does not
 * (fewest consults) is added to them, the classic "suppress the next smallest cell". A
 * group whose parts all rest on too few goes up whole. What is still too small at the top
 * (a month in which the whole programme had fewer consultants) is a poisoned atom: every
 * figure touching it is suppressed, totals included.
 *
 * @param <B> the base cell
 */
final class Suppression<B> {

	private final Map<B, Integer> atomOf = new HashMap<>();

	private final List<Atom<B>> atoms;

	private Suppression(List<Atom<B>> atoms) {
		this.atoms = atoms;
		for (int i = 0; i < atoms.size(); i++) {
			for (B base : atoms.get(i).bases()) {
				this.atomOf.put(base, i);
			}
		}
	}

	/**
	 * @param universe every base cell with figures
	 * @param consultants each base cell's distinct consultants (absent: none)
	 * @param size how big a base cell is (consults), to find the smallest
	 * @param order a total order of base cells, for repeatable choices
	 * @param levels for each level, finest first, the group a base cell belongs to; the
	 * groups of a level are unions of those of the level before
	 * @param <B> the base cell
	 * @return the atoms
	 */
	static <B> Suppression<B> of(Collection<B> universe, Map<B, ? extends Set<String>> consultants,
			ToLongFunction<B> size, Comparator<B> order, List<Function<B, ?>> levels) {
		List<Atom<B>> units = new ArrayList<>();
		universe.stream().sorted(order).forEach((base) -> {
			Set<String> who = consultants.get(base);
			units.add(new Atom<>(List.of(base), (who != null) ? who : Set.of(), size.applyAsLong(base), false));
		});
		Comparator<Atom<B>> smallest = Comparator.comparingLong(Atom<B>::size)
			.thenComparing((Atom<B> a) -> a.bases().get(0), order);
		List<Atom<B>> current = units;
		for (Function<B, ?> level : levels) {
			Map<Object, List<Atom<B>>> groups = new LinkedHashMap<>();
			for (Atom<B> unit : current) {
				groups.computeIfAbsent(level.apply(unit.bases().get(0)), (k) -> new ArrayList<>()).add(unit);
			}
			List<Atom<B>> next = new ArrayList<>();
			for (List<Atom<B>> group : groups.values()) {
				List<Atom<B>> safe = new ArrayList<>();
				List<Atom<B>> small = new ArrayList<>();
				group.forEach((unit) -> (unit.safe() ? safe : small).add(unit));
				if (small.isEmpty()) {
					next.addAll(safe);
					continue;
				}
				Atom<B> joined = join(small);
				if (!joined.safe() && !safe.isEmpty()) {
					Atom<B> partner = safe.stream().min(smallest).orElseThrow();
					safe.remove(partner);
					joined = join(List.of(joined, partner));
				}
				next.addAll(safe);
				next.add(joined);
			}
			current = next;
		}
		List<Atom<B>> atoms = new ArrayList<>();
		for (Atom<B> atom : current) {
			atoms.add(atom.safe() ? atom : new Atom<>(atom.bases(), atom.consultants(), atom.size(), true));
		}
		return new Suppression<>(atoms);
	}

	private static <B> Atom<B> join(List<Atom<B>> parts) {
		if (parts.size() == 1) {
			return parts.get(0);
		}
		List<B> bases = new ArrayList<>();
		Set<String> consultants = new HashSet<>();
		long size = 0;
		for (Atom<B> part : parts) {
			bases.addAll(part.bases());
			consultants.addAll(part.consultants());
			size += part.size();
		}
		return new Atom<>(bases, consultants, size, false);
	}

	/**
	 * @param row the row (of some grouping) a base cell falls in
	 * @param <R> the row key
	 * @return the rows that are not a union of whole, unpoisoned atoms: to suppress
	 */
	<R> Set<R> suppressedRows(Function<B, R> row) {
		Set<R> suppressed = new HashSet<>();
		for (Atom<B> atom : this.atoms) {
			Set<R> rows = new HashSet<>();
			atom.bases().forEach((base) -> rows.add(row.apply(base)));
			if (atom.poisoned() || rows.size() > 1) {
				suppressed.addAll(rows);
			}
		}
		return suppressed;
	}

	/**
	 * @return whether the totals must be suppressed (some atom is poisoned)
	 */
	boolean totalSuppressed() {
		return this.atoms.stream().anyMatch(Atom::poisoned);
	}

	/**
	 * @param base a base cell
	 * @return the base cells of its atom
	 */
	List<B> atom(B base) {
		Integer index = this.atomOf.get(base);
		return (index != null) ? this.atoms.get(index).bases() : List.of(base);
	}

	/**
	 * @return the atoms, for tests and explanations
	 */
	List<Atom<B>> atoms() {
		return this.atoms;
	}

	/**
	 * @param bases its base cells
	 * @param consultants their distinct consultants
	 * @param size their consults
	 * @param poisoned still too small at the top: every figure touching it is suppressed
	 * @param <B> the base cell
	 */
	record Atom<B>(List<B> bases, Set<String> consultants, long size, boolean poisoned) {

		boolean safe() {
			return this.consultants.size() >= ReportScope.MIN_CONSULTANTS;
		}

	}

}
