package nl.beeldzorg.consult;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * When a consultant who skipped the outcome form ("Later invullen") is reminded.
 *
 * @param after how long after the end of a consult without an outcome its consultant gets
 * a reminder (in the app's event stream and by Web Push)
 * @param interval how often each node looks for consults due for a reminder
 * @param maxAge consults that ended longer ago are not reminded of any more (the list in
 * the app still shows them)
 */
@ConfigurationProperties("beeldzorg.outcome-reminder")
@Validated
public record OutcomeReminderProperties(@NotNull Duration after, @NotNull Duration interval, @NotNull Duration maxAge) {
}
