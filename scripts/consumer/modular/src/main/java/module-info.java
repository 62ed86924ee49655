module example.consumer {
    requires dev.tessera.runtime;
}
