/**
 * Notifications from the application: status changes and actions to a signed webhook as
 * CloudEvents ({@link io.opskit.core.notify.WebhookSink}), and failing checks as alerts to
 * Alertmanager ({@link io.opskit.core.notify.AlertmanagerSink}). Both are plain listeners of
 * {@link io.opskit.core.OpsEvents}: they hand events to a bounded queue and send them on a thread
 * of their own, so a slow or hung receiver never delays a check, a probe or another listener.
 */
package io.opskit.core.notify;
