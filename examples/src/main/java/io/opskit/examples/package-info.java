/** opskit examples. */
package io.opskit.examples;
