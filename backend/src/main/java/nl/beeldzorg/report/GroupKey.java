package nl.beeldzorg.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import nl.beeldzorg.system.ApiException;
import nl.beeldzorg.system.ErrorCode;
import nl.beeldzorg.system.FieldErrorCode;

/**
 * What a report row can be grouped by, with its SQL over the consult table and over the
 * report cells (and ledger, whose columns the cells share). Only these expressions ever
 * reach SQL.
 */
enum GroupKey {

	/** The institution. */
	INSTITUTION("institutionId", "institution_id", "institution_id"),

	/** Calendar month, {@code 2026-01}. */
	MONTH("month", "EXTRACT(YEAR FROM consult_day) * 100 + EXTRACT(MONTH FROM consult_day)",
			"EXTRACT(YEAR FROM consult_day) * 100 + EXTRACT(MONTH FROM consult_day)"),

	/** Calendar quarter, {@code 2026-Q1}. */
	QUARTER("quarter", "EXTRACT(YEAR FROM consult_day) * 10 + EXTRACT(QUARTER FROM consult_day)",
			"EXTRACT(YEAR FROM consult_day) * 10 + EXTRACT(QUARTER FROM consult_day)"),

	/** The consultant's discipline (the requested one when nobody accepted). */
	DISCIPLINE("discipline", "COALESCE(consultant_discipline, requested_discipline)", "discipline"),

	/** The consult kind. */
	KIND("kind", "kind", "consult_kind");

	final String field;

	final String consultSql;

	final String cellSql;

	GroupKey(String field, String consultSql, String cellSql) {
		this.field = field;
		this.consultSql = consultSql;
		this.cellSql = cellSql;
	}

	/** Renders a grouped value as the API shows it. */
	Object render(Object value) {
		return switch (this) {
			case MONTH -> {
				int yyyymm = ((Number) value).intValue();
				yield String.format(Locale.ROOT, "%04d-%02d", yyyymm / 100, yyyymm % 100);
			}
			case QUARTER -> {
				int yyyyq = ((Number) value).intValue();
				yield String.format(Locale.ROOT, "%04d-Q%d", yyyyq / 10, yyyyq % 10);
			}
			default -> value.toString();
		};
	}

	/**
	 * @param groupBy a comma list such as {@code institution,month}
	 * @return the keys, in the order given
	 */
	static List<GroupKey> parse(String groupBy) {
		List<GroupKey> keys = new ArrayList<>();
		for (String part : groupBy.split(",")) {
			String name = part.trim();
			if (name.isEmpty()) {
				continue;
			}
			try {
				GroupKey key = valueOf(name.toUpperCase(Locale.ROOT));
				if (!keys.contains(key)) {
					keys.add(key);
				}
			}
			catch (IllegalArgumentException ex) {
				throw new ApiException(ErrorCode.REQUEST_INVALID,
						"groupBy '" + name + "' is not one of institution, month, quarter, discipline, kind", "groupBy",
						FieldErrorCode.NOT_ALLOWED);
			}
		}
		if (keys.contains(MONTH) && keys.contains(QUARTER)) {
			throw new ApiException(ErrorCode.REQUEST_INVALID, "groupBy takes month or quarter, not both", "groupBy",
					FieldErrorCode.MONTH_AND_QUARTER);
		}
		return keys;
	}

}
