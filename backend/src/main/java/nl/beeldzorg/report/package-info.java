/**
 * The programme's reports: time saved per institution, period, discipline and kind; the
 * capacity matrix; connection quality. Aggregates only: never a client, never a
 * practitioner.
 */
@NullMarked
package nl.beeldzorg.report;

import org.jspecify.annotations.NullMarked;
