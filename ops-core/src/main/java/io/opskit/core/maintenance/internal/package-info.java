/** Implementation of the maintenance decision: IP literals and CIDRs, forwarded headers, Accept, pages. Not API. */
package io.opskit.core.maintenance.internal;
