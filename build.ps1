# The one entry point on Windows (MSVC + .NET 10 SDK), mirroring build.sh:
#   .\build.ps1                  build native + managed (Release)
#   .\build.ps1 demo             build, then run the main job on a built-in default
#   .\build.ps1 test             build, then run every suite; ends with "N passed, N failed, N skipped"
#   .\build.ps1 test -Sanitize   build the native tests with AddressSanitizer and run only them
#   .\build.ps1 bindings         regenerate bindings/generated from native/include/pixellm.h
# Prerequisites are not installed here: Visual Studio 2022 (C++ workload, CMake), GoogleTest,
# libjpeg-turbo and libpng through vcpkg (set CMAKE_TOOLCHAIN_FILE; `vcpkg install gtest
# libjpeg-turbo libpng`), the .NET 10 SDK, Python 3, and LLVM for libclang. The libFuzzer target
# of the image decoder is Linux-only (build.sh).
param(
    [Parameter(Position = 0)][ValidateSet("build", "demo", "test", "bindings")][string]$Command = "build",
    [switch]$Sanitize
)
$ErrorActionPreference = "Stop"
$Root = $PSScriptRoot
$BuildDir = Join-Path $Root "build/release"
$SanitizeDir = Join-Path $Root "build/sanitize"
$ResultsDir = Join-Path $Root "build/test-results"
$StageDir = Join-Path $Root "runtimes/win-x64/native"

function Invoke-Checked([string]$File, [string[]]$Arguments) {
    & $File @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$File $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

function Build-Native {
    Invoke-Checked cmake @("-S", $Root, "-B", $BuildDir)
    Invoke-Checked cmake @("--build", $BuildDir, "--config", "Release", "--parallel")
    New-Item -ItemType Directory -Force $StageDir | Out-Null
    Copy-Item (Join-Path $BuildDir "native/Release/pixellm.dll") $StageDir -Force
}

function Build-All {
    Build-Native
    Invoke-Checked dotnet @("build", (Join-Path $Root "PixelLM.Native.sln"), "-c", "Release", "--nologo")
}

function Invoke-NativeSuite([string]$Name, [string]$Dir, [string]$Config, [string]$Isa) {
    $env:PIXELLM_ISA = $Isa
    & ctest --test-dir $Dir -C $Config --output-on-failure --output-junit (Join-Path $ResultsDir "native-$Name.xml")
    $env:PIXELLM_ISA = $null
    return $LASTEXITCODE -eq 0
}

function Invoke-Tests {
    Remove-Item -Recurse -Force $ResultsDir -ErrorAction SilentlyContinue
    New-Item -ItemType Directory -Force $ResultsDir | Out-Null
    $ok = $true
    if ($Sanitize) {
        Invoke-Checked cmake @("-S", $Root, "-B", $SanitizeDir, "-DPIXELLM_SANITIZE=ON")
        Invoke-Checked cmake @("--build", $SanitizeDir, "--config", "Debug", "--parallel")
        $ok = Invoke-NativeSuite "asan" $SanitizeDir "Debug" ""
    } else {
        Build-All
        foreach ($isa in @("scalar", "avx2", "avx512")) {
            if (-not (Invoke-NativeSuite $isa $BuildDir "Release" $isa)) { $ok = $false }
        }
        & dotnet test (Join-Path $Root "tests/PixelLM.Tests/PixelLM.Tests.csproj") -c Release --no-build `
            --logger "trx;LogFileName=managed.trx" --results-directory $ResultsDir
        if ($LASTEXITCODE -ne 0) { $ok = $false }
    }
    & python (Join-Path $Root "tools/test_summary.py") $ResultsDir
    if ($LASTEXITCODE -ne 0 -or -not $ok) { exit 1 }
}

switch ($Command) {
    "build" { Build-All }
    "demo" {
        Build-All
        $Sample = Join-Path $Root "build/demo/sample.gguf"
        New-Item -ItemType Directory -Force (Split-Path $Sample) | Out-Null
        Invoke-Checked (Join-Path $BuildDir "native/examples/Release/write_sample_gguf.exe") @($Sample)
        Invoke-Checked dotnet @((Join-Path $Root "src/PixelLM.Cli/bin/Release/net10.0/PixelLM.Cli.dll"), "info", $Sample)
    }
    "test" { Invoke-Tests }
    "bindings" {
        Invoke-Checked dotnet @("run", "--project", (Join-Path $Root "bindings/generator"), "-c", "Release", "--",
            "--header", (Join-Path $Root "native/include/pixellm.h"), "--out", (Join-Path $Root "bindings/generated"))
    }
}
