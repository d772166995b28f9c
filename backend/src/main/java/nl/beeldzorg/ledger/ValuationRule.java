package nl.beeldzorg.ledger;

import java.time.LocalDate;
import java.util.UUID;

import nl.beeldzorg.consult.ConsultKind;
import org.jspecify.annotations.Nullable;

/**
 * An institution's valuation settings from a date on.
 *
 * @param id the rule's id, absent for the built-in default
 * @param institutionId the institution
 * @param validFrom the first day it applies to
 * @param version the institution's rule version, 0 for the built-in default
 * @param hoursPerFtePerYear hours one FTE works in a year (36 h × 52 = 1,872 by default)
 * @param handoverBedside handover norm minutes of a bedside consult
 * @param handoverAnw handover norm minutes of an ANW consult
 * @param handoverImoz handover norm minutes of an IMOZ consult
 * @param handoverExpert handover norm minutes of an expert consult
 * @param handoverCap the most handover minutes one consult can save
 */
public record ValuationRule(@Nullable UUID id, String institutionId, LocalDate validFrom, int version,
		int hoursPerFtePerYear, int handoverBedside, int handoverAnw, int handoverImoz, int handoverExpert,
		int handoverCap) {

	/** Hours per FTE per year when an institution set nothing: 36 hours × 52 weeks. */
	public static final int DEFAULT_HOURS_PER_FTE = 1872;

	/**
	 * The built-in rule for an institution that has not set its own.
	 * @param institutionId the institution
	 * @return version 0: 1,872 h/FTE; handover norms 15 (bedside), 20 (ANW), 15 (IMOZ),
	 * 10 (expert) minutes; at most 60 minutes
	 */
	public static ValuationRule defaults(String institutionId) {
		return new ValuationRule(null, institutionId, LocalDate.of(2000, 1, 1), 0, DEFAULT_HOURS_PER_FTE, 15, 20, 15,
				10, 60);
	}

	/**
	 * @param kind a consult kind
	 * @return the handover norm for it
	 */
	public int handoverNorm(ConsultKind kind) {
		return switch (kind) {
			case BEDSIDE -> this.handoverBedside;
			case ANW -> this.handoverAnw;
			case IMOZ -> this.handoverImoz;
			case EXPERT -> this.handoverExpert;
		};
	}

}
