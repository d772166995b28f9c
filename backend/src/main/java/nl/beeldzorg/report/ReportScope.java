package nl.beeldzorg.report;

import nl.beeldzorg.security.CurrentUser;
import nl.beeldzorg.system.ApiException;
import nl.beeldzorg.system.ErrorCode;
import org.jspecify.annotations.Nullable;

/**
 * Whose numbers a caller may read: the programme office every institution's (with small
 * cells suppressed), anyone else only their own institution's.
 *
 * @param institutionId the one institution, or {@code null} for all
 * @param programme whether programme-wide suppression applies
 */
record ReportScope(@Nullable String institutionId, boolean programme) {

	/**
	 * Cells resting on fewer distinct consultants than this are suppressed
	 * programme-wide.
	 */
	static final int MIN_CONSULTANTS = 3;

	static ReportScope of(CurrentUser user) {
		if (user.hasRole(CurrentUser.PROGRAMME)) {
			return new ReportScope(null, true);
		}
		if (user.institutionId() == null) {
			throw new ApiException(ErrorCode.FORBIDDEN, "Reports are per institution; you belong to none");
		}
		return new ReportScope(user.institutionId(), false);
	}

}
