package nl.beeldzorg.audit;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * One link of the audit chain.
 *
 * @param seq position in the chain, from 1
 * @param at when
 * @param actorId who did it
 * @param onBehalfOf for whom, when acting for someone else
 * @param institutionId the institution whose consult it is
 * @param consultId the consult
 * @param action what
 * @param detail extra facts, never patient data
 * @param prevHash the hash of the previous record
 * @param hash this record's hash
 * @param remoteAddr for a read: where the request came from
 * @param subjects for a read of a list: the ids of the consults or questions it showed,
 * space-separated
 * @param chain the chain the record belongs to (V15 on): its consult's or question's id,
 * {@code institution:<id>} or {@code region}; absent for records from before
 * @param chainSeq its position in that chain, from 1; absent for records from before
 */
public record AuditRecord(long seq, Instant at, String actorId, @Nullable String onBehalfOf,
		@Nullable String institutionId, @Nullable UUID consultId, AuditAction action, @Nullable String detail,
		String prevHash, String hash, @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String remoteAddr,
		@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String subjects,
		@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String chain,
		@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Long chainSeq) {
}
