/**
 * Web Push to consultants' phones: VAPID keys, subscriptions, encrypted delivery.
 */
@NullMarked
package nl.beeldzorg.notify;

import org.jspecify.annotations.NullMarked;
