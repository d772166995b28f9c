package nl.beeldzorg.security;

import java.util.Locale;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * A user's profession. {@code SO}, {@code BA}, {@code VS}, {@code PA} and {@code GZP}
 * form the SO function family (<i>SO-functiefamilie</i>): the consultants.
 */
public enum Discipline {

	/** Verpleegkundige or verzorgende at the bedside: wears the glasses. */
	NURSE(false),

	/** Specialist ouderengeneeskunde: elderly-care physician. */
	SO(true),

	/** Basisarts: physician without specialty. */
	BA(true),

	/** Verpleegkundig specialist: nurse practitioner. */
	VS(true),

	/** Physician assistant. */
	PA(true),

	/** GZ-psycholoog: healthcare psychologist. */
	GZP(true),

	/** General practitioner (huisarts), who asks in IMOZ consults. */
	HUISARTS(false);

	private final boolean consultant;

	Discipline(boolean consultant) {
		this.consultant = consultant;
	}

	/**
	 * @return whether this discipline answers consults
	 */
	public boolean isConsultant() {
		return this.consultant;
	}

	/**
	 * @param value a claim value
	 * @return the discipline, if the value names one
	 */
	public static Optional<Discipline> parse(@Nullable Object value) {
		if (value == null) {
			return Optional.empty();
		}
		try {
			return Optional.of(valueOf(value.toString().trim().toUpperCase(Locale.ROOT)));
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
	}

}
