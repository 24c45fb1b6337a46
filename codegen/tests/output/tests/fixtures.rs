//! The fixture outputs do what their specs say: the request each builder
//! produces, and how models and enums read and write JSON.

use scim_codegen_output::{nested_refs, parameters, string_enums};
use scim_sdk::{Method, Operation};

fn client<C: From<scim_sdk::Client>>() -> C {
    C::from(scim_sdk::Client::builder().bearer("t").build().unwrap())
}

#[test]
fn parameters_land_in_the_path_and_query() {
    let client: parameters::Client = client();
    let (_, request) = client
        .get_item("a/b", 7, "x eq 1")
        .start_index(3)
        .attributes(["id", "name"])
        .into_parts()
        .unwrap();
    assert_eq!(request.operation().method, Method::Get);
    assert_eq!(
        request.path_and_query(),
        "/users/a%2Fb/items/7?filter=x%20eq%201&startIndex=3&attributes=id,name"
    );
}

#[test]
fn a_list_operation_pages() {
    use scim_sdk::Paginated;
    let client: nested_refs::Client = client();
    let next = client.list_owners().with_start_index(11);
    assert_eq!(Paginated::start_index(&next), Some(11));
    let page = serde_json::json!({"Resources": [{}, {}], "totalResults": 12});
    let page =
        nested_refs::operations::ListOwners::into_page(serde_json::from_value(page).unwrap());
    assert_eq!((page.items.len(), page.total_results), (2, Some(12)));
}

#[test]
fn enums_keep_values_they_do_not_know() {
    use string_enums::models::{Color, PetKind};
    assert_eq!(PetKind::from("2-headed"), PetKind::V2Headed);
    assert_eq!(Color::from("blue"), Color::Unknown("blue".into()));
    let pet: string_enums::models::Pet =
        serde_json::from_value(serde_json::json!({"kind": "tRex", "legs": 2})).unwrap();
    assert_eq!(pet.kind, Some(PetKind::TRex));
    assert_eq!(
        serde_json::to_value(&pet).unwrap(),
        serde_json::json!({"kind": "tRex", "legs": 2})
    );
}
