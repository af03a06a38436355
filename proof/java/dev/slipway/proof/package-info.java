/** The template's proof: tests that need more than a JDK and one container engine (see proof/README.md). */
package dev.slipway.proof;
