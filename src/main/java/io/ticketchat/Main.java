package io.ticketchat;

public final class Main {
    public static void main(String[] args) {
    }
}
