package dev.tessera.autograd;

/** An input slot of a backward node: gradient flows to {@code function}'s input {@code inputNr}. */
public record Edge(Node function, int inputNr) {}
