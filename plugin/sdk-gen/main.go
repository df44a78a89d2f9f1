// Command sdk-gen writes the Python and Go SDKs of the es-migrate plugin from its schema, with Pulumi's own code
// generators (github.com/pulumi/pulumi/pkg/v3/codegen/{python,go}: what `pulumi package gen-sdk` runs inside
// Pulumi's Python and Go language hosts, which are not built here). Used to check that both SDKs build.
//
// Usage: sdk-gen <schema.json> <output folder> <Go import base path>   (writes <output>/python and <output>/go)
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/blang/semver"
	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

const tool = "pulumi-es-migrate sdk-gen"

// noPackages is the loader of a schema that refers to no other package (ours refers to none): any look-up fails.
type noPackages struct{}

func (noPackages) LoadPackage(pkg string, _ *semver.Version) (*schema.Package, error) {
	return nil, fmt.Errorf("the es-migrate schema refers to no other package, not %q", pkg)
}

func (l noPackages) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return l.LoadPackage(d.Name, d.Version)
}

func (l noPackages) LoadPackageReference(pkg string, v *semver.Version) (schema.PackageReference, error) {
	_, err := l.LoadPackage(pkg, v)
	return nil, err
}

func (l noPackages) LoadPackageReferenceV2(
	_ context.Context, d *schema.PackageDescriptor,
) (schema.PackageReference, error) {
	return l.LoadPackageReference(d.Name, d.Version)
}

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: sdk-gen <schema.json> <output folder> <Go import base path>")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2], os.Args[3]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// bind reads and validates the schema; each generator gets a package of its own (they record their language info in it).
func bind(file, goImportBase string) (*schema.Package, error) {
	text, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(text, &spec); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if spec.Language == nil {
		spec.Language = map[string]schema.RawMessage{}
	}
	goInfo, _ := json.Marshal(map[string]string{"importBasePath": goImportBase})
	spec.Language["go"] = goInfo
	pkg, diags, err := schema.BindSpec(spec, noPackages{}, schema.ValidationOptions{})
	if err != nil {
		return nil, err
	}
	if diags.HasErrors() {
		return nil, fmt.Errorf("the schema does not bind: %s", diags.Error())
	}
	return pkg, nil
}

func write(dir string, files map[string][]byte) error {
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, content, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func run(file, out, goImportBase string) error {
	pkg, err := bind(file, goImportBase)
	if err != nil {
		return err
	}
	py, err := python.GeneratePackage(tool, pkg, nil, noPackages{})
	if err != nil {
		return fmt.Errorf("python: %w", err)
	}
	if err := write(filepath.Join(out, "python"), py); err != nil {
		return err
	}
	if pkg, err = bind(file, goImportBase); err != nil {
		return err
	}
	golang, err := gogen.GeneratePackage(tool, pkg, nil)
	if err != nil {
		return fmt.Errorf("go: %w", err)
	}
	return write(filepath.Join(out, "go"), golang)
}
