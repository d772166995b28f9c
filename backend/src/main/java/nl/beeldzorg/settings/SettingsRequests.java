package nl.beeldzorg.settings;

import java.time.LocalDate;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import nl.beeldzorg.system.NoBsn;
import nl.beeldzorg.system.PlainName;
import org.jspecify.annotations.Nullable;

/**
 * The bodies of the settings calls.
 */
final class SettingsRequests {

	private SettingsRequests() {
	}

	/**
	 * A new valuation-rule version from a date on.
	 *
	 * @param validFrom first day it applies to
	 * @param hoursPerFtePerYear hours one FTE works in a year
	 * @param handoverBedside handover norm of a bedside consult, minutes
	 * @param handoverAnw of an ANW consult
	 * @param handoverImoz of an IMOZ consult
	 * @param handoverExpert of an expert consult
	 * @param handoverCap the most handover minutes one consult saves
	 */
	record Rule(@NotNull LocalDate validFrom, @Min(100) @Max(3000) int hoursPerFtePerYear,
			@Min(0) @Max(480) int handoverBedside, @Min(0) @Max(480) int handoverAnw,
			@Min(0) @Max(480) int handoverImoz, @Min(0) @Max(480) int handoverExpert,
			@Min(0) @Max(480) int handoverCap) {
	}

	/**
	 * The caller's institution's name and routing settings.
	 *
	 * @param name as people know it, e.g. Zorggroep Apeldoorn
	 * @param fallbackPhone the number a requester is told to call when nobody answered
	 * (absent: unchanged)
	 * @param fallbackInstructions what else to do then (absent: unchanged)
	 * @param steppedCare whether an SO consult rings a VS or PA first (absent: unchanged)
	 */
	record Institution(@NotBlank @Size(max = 200) @PlainName @NoBsn String name,
			@Nullable @Size(max = 40) @Pattern(regexp = "[0-9 +()-]{3,40}",
					message = "digits, spaces, + ( ) - only") @NoBsn String fallbackPhone,
			@Nullable @Size(max = 500) @NoBsn String fallbackInstructions, @Nullable Boolean steppedCare) {
	}

	/**
	 * A care location (or a consultant's base) of the caller's institution.
	 *
	 * @param name its name (not beginning like a spreadsheet formula)
	 * @param subregion its ANW subregion, one of {@code GET /api/v1/subregions}
	 * @param latitude WGS84 latitude
	 * @param longitude WGS84 longitude
	 */
	record Location(@NotBlank @Size(max = 200) @PlainName @NoBsn String name,
			@NotBlank @Size(max = 100) @NoBsn String subregion,
			@Nullable @DecimalMin("-90") @DecimalMax("90") Double latitude,
			@Nullable @DecimalMin("-180") @DecimalMax("180") Double longitude) {
	}

	/**
	 * Where a consultant drives from, from a date on.
	 *
	 * @param locationId the base location
	 * @param validFrom first day
	 */
	record Base(@NotBlank @Size(max = 64) String locationId, @NotNull LocalDate validFrom) {
	}

	/**
	 * One-way travel minutes from a base to a location, from a date on.
	 *
	 * @param fromLocationId the base
	 * @param toLocationId the care location
	 * @param minutes one way
	 * @param validFrom first day
	 */
	record TravelTime(@NotBlank @Size(max = 64) String fromLocationId, @NotBlank @Size(max = 64) String toLocationId,
			@Min(0) @Max(600) int minutes, @NotNull LocalDate validFrom) {
	}

}
