/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The end of the corpus's text, linked right after corpus.o: the page
 * boundary after its last byte, so that no other code shares its pages.
 */
	.text
	.balign 4096
	.globl kc_corpus_end
kc_corpus_end:

	.section .note.GNU-stack, "", @progbits
