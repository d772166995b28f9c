package nl.beeldzorg.ledger;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * One immutable ledger entry: minutes of one kind for one consult, and the basis they
 * rest on. A reversal (negative minutes) names the entry it supersedes.
 *
 * @param id entry id
 * @param consultId the consult
 * @param outcomeVersion the outcome version it belongs to (0 for lost time, which has no
 * outcome)
 * @param kind what it counts
 * @param minutes how many; negative for a reversal
 * @param institutionId whose consult
 * @param consultDay the consult's day (its period)
 * @param consultKind the consult's kind
 * @param discipline the consultant's discipline (the requested one when nobody accepted)
 * @param consultantId the consultant, if any
 * @param ruleId the valuation rule, absent for the built-in default
 * @param ruleVersion the valuation rule's version
 * @param travelTimeId the travel-time entry, for travel from the matrix
 * @param estimated whether travel was estimated from coordinates
 * @param basis why, in words
 * @param supersedes the entry this one reverses
 * @param recordedAt when it was written
 */
public record LedgerEntry(UUID id, UUID consultId, int outcomeVersion, EntryKind kind, int minutes,
		String institutionId, LocalDate consultDay, String consultKind, String discipline,
		@Nullable String consultantId, @Nullable UUID ruleId, int ruleVersion, @Nullable UUID travelTimeId,
		boolean estimated, String basis, @Nullable UUID supersedes, Instant recordedAt) {

	/**
	 * @param at when the reversal is written
	 * @param version the outcome version that supersedes this entry
	 * @return an entry that cancels this one
	 */
	LedgerEntry reversal(Instant at, int version) {
		return new LedgerEntry(UUID.randomUUID(), this.consultId, version, this.kind, -this.minutes, this.institutionId,
				this.consultDay, this.consultKind, this.discipline, this.consultantId, this.ruleId, this.ruleVersion,
				this.travelTimeId, this.estimated, "reverses " + this.id + " (outcome corrected)", this.id, at);
	}

}
