/**
 * What operators watch: gauges read from the database for the dashboard and the alert
 * rules of {@code infra/} (calls now, rings unanswered, connection success, overdue
 * escalations, database reachability, the audit chain's verification).
 */
@NullMarked
package nl.beeldzorg.operations;

import org.jspecify.annotations.NullMarked;
