package nl.beeldzorg.security;

import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The caller, as read from the access token's claims.
 *
 * @param userId the user id ({@code sub})
 * @param name display name
 * @param discipline the profession; absent for programme-office users
 * @param institutionId the institution (tenant); absent for a huisarts
 * @param practiceId a huisarts's practice
 * @param roles extra rights: {@code PROGRAMME}, {@code ADMIN}
 */
public record CurrentUser(String userId, String name, @Nullable Discipline discipline, @Nullable String institutionId,
		@Nullable String practiceId, Set<String> roles) {

	/** Cross-institution aggregates. */
	public static final String PROGRAMME = "PROGRAMME";

	/** The own institution's settings. */
	public static final String ADMIN = "ADMIN";

	/**
	 * @return whether the user answers consults
	 */
	public boolean isConsultant() {
		return this.discipline != null && this.discipline.isConsultant();
	}

	/**
	 * @param role a role
	 * @return whether the user has it
	 */
	public boolean hasRole(String role) {
		return this.roles.contains(role);
	}

}
